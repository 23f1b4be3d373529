//! The procedure's data and the numbering of acts, shared by the examination (`review`) and the hearing
//! (`hearing`): the hearing's periods the administrator keeps (АППК Art. 73), and the act that ends a
//! round, with its number and the deciding official's position (Art. 78 ff.).

use jiff::Timestamp;
use jiff::civil::Date;
use senim_domain::hearing::HearingPeriods;
use senim_domain::lang::LangText;
use senim_domain::role::Role;
use senim_store::applications::Application;
use senim_store::hearing::{self as store, Act, ActKind};
use senim_store::users::User;
use senim_store::{Tx, audit};
use serde_json::json;

use super::{ServiceError, ServiceResult};
use crate::AppState;

/// The settings that hold the hearing's periods (working days).
pub const NOTICE_SETTING: &str = "hearing_notice_working_days";
pub const OBJECTION_SETTING: &str = "hearing_objection_working_days";

/// The hearing's periods in force: the administrator's, or АППК Art. 73's 3 and 2 working days.
pub async fn periods(state: &AppState) -> ServiceResult<HearingPeriods> {
    let default = HearingPeriods::default();
    let read = |v: Option<String>, d: u16| v.and_then(|v| v.parse().ok()).unwrap_or(d);
    Ok(HearingPeriods {
        notice_working_days: read(
            senim_store::staff::setting(&state.store, NOTICE_SETTING).await?,
            default.notice_working_days,
        ),
        objection_working_days: read(
            senim_store::staff::setting(&state.store, OBJECTION_SETTING).await?,
            default.objection_working_days,
        ),
    })
}

/// The administrator changes the periods (for cases whose preliminary decision is issued from now on).
pub async fn set_periods(state: &AppState, user: &User, periods: HearingPeriods) -> ServiceResult<()> {
    if user.role != Role::Admin {
        return Err(ServiceError::Forbidden);
    }
    periods.validate().map_err(ServiceError::Invalid)?;
    let mut tx = state.store.begin().await?;
    let (n, o) = (periods.notice_working_days.to_string(), periods.objection_working_days.to_string());
    senim_store::staff::set_setting(&mut tx, NOTICE_SETTING, &n, &user.id).await?;
    senim_store::staff::set_setting(&mut tx, OBJECTION_SETTING, &o, &user.id).await?;
    audit::append(&mut tx, &user.id, "hearing.periods", "hearing", &json!(periods)).await?;
    tx.commit().await?;
    Ok(())
}

/// The official's position for an act: as entered, or as their last act named it.
pub async fn official_position(state: &AppState, user: &User, entered: &str) -> ServiceResult<String> {
    let entered = entered.trim();
    if entered.chars().count() > 300 {
        return Err(ServiceError::Invalid(vec![senim_domain::application::FieldError::new(
            "official_position",
            "too_long",
        )]));
    }
    if entered.is_empty() { Ok(store::position(&state.store, &user.id).await?) } else { Ok(entered.to_owned()) }
}

/// Numbers and stores the act that ends a round; remembers the official's position.
#[allow(clippy::too_many_arguments)]
pub async fn adopt(
    tx: &mut Tx<'_>,
    user: &User,
    app: &Application,
    kind: ActKind,
    position: &str,
    objection_considered: LangText,
    today: Date,
    now: Timestamp,
) -> ServiceResult<Act> {
    let serial = store::next_act_serial(tx, &app.body_code, today.year()).await?;
    let act = Act {
        number: act_number(&app.body_code, today.year(), serial),
        application_id: app.id.clone(),
        round: app.current_round,
        kind,
        official_id: user.id.clone(),
        official_name: user.name.clone(),
        official_position: position.to_owned(),
        objection_considered,
        adopted_on: today,
        adopted_at: senim_store::rfc3339(now),
    };
    store::insert_act(tx, &act).await?;
    if !position.is_empty() {
        store::set_position(tx, &user.id, position).await?;
    }
    Ok(act)
}

/// An act's number: the body, the year and a serial of the body's acts that year (`HEALTH-A-2026-0007`).
pub fn act_number(body_code: &str, year: i16, serial: u32) -> String {
    format!("{}-A-{year}-{serial:04}", body_code.to_uppercase())
}
