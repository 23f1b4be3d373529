//! `senim serve --demo`: on an empty database, the real central state bodies, one account per role
//! (passwords printed at start), sample applications in every status, and one published edition.

use jiff::Timestamp;
use senim_domain::application::*;
use senim_domain::lang::{Lang, LangText};
use senim_domain::review::{CheckOutcome, ChecklistInput};
use senim_domain::role::Role;
use senim_store::bodies::{self, Body};
use senim_store::users::{self, NewUser, User};
use serde::Deserialize;

use super::{applications, publication, review};
use crate::AppState;
use crate::passwords::hash_password_blocking;

#[derive(Deserialize)]
struct BodyData {
    code: String,
    name: LangText,
    short_name: LangText,
    gov_slug: Option<String>,
}

/// The central state bodies (`shared/reference/state-bodies.md`), names in kk/ru/en.
pub fn reference_bodies() -> Vec<Body> {
    let data: Vec<BodyData> = serde_json::from_str(include_str!("../../data/bodies.json")).unwrap_or_default();
    data.into_iter()
        .enumerate()
        .map(|(i, b)| Body {
            code: b.code,
            name: b.name,
            short_name: b.short_name,
            gov_slug: b.gov_slug,
            sort_order: i as i64,
        })
        .collect()
}

/// Loads the bodies when none exist (every start, demo or not, needs them to take applications).
pub async fn ensure_bodies(state: &AppState) -> anyhow::Result<usize> {
    if bodies::count(&state.store).await? > 0 {
        return Ok(0);
    }
    let all = reference_bodies();
    let mut tx = state.store.begin().await?;
    for b in &all {
        bodies::upsert(&mut tx, b).await?;
    }
    tx.commit().await?;
    Ok(all.len())
}

/// A demo account: e-mail, role, body, password.
pub struct DemoAccount {
    pub email: String,
    pub role: Role,
    pub body: Option<String>,
    pub password: String,
}

fn random_password() -> String {
    let mut b = [0u8; 12];
    getrandom::fill(&mut b).unwrap_or_default();
    b.iter().map(|x| char::from(b"abcdefghjkmnpqrstuvwxyz23456789"[(*x as usize) % 31])).collect()
}

async fn account(
    state: &AppState,
    email: &str,
    name: &str,
    role: Role,
    body: Option<&str>,
) -> anyhow::Result<(User, String)> {
    let password = random_password();
    let hash = hash_password_blocking(password.clone()).await?;
    let mut tx = state.store.begin().await?;
    let user = users::create(&mut tx, NewUser { email, name, password_hash: &hash, role, body_code: body }).await?;
    tx.commit().await?;
    Ok((user, password))
}

fn kk_ru(kk: &str, ru: &str) -> LangText {
    LangText::new().with(Lang::Kk, kk).with(Lang::Ru, ru)
}

/// A complete Annex 1 form for one of the sample systems.
pub fn sample_form(body: &str, n: usize) -> ApplicationForm {
    let systems = [
        (
            "Рентгендік суреттерді талдау жүйесі",
            "Система анализа рентгеновских снимков",
            "«Дәрігер AI» ЖШС",
            "971240001315",
        ),
        ("Тіл мен сөйлеуді тану көмекшісі", "Помощник распознавания речи", "«Сөйле Тех» ЖШС", "940140000385"),
        ("Ауыл шаруашылығы өнімділігін болжау", "Прогноз урожайности", "«Агро Болжам» АҚ", "990140004654"),
        ("Құжаттарды автоматты тексеру", "Автоматическая проверка документов", "«Құжат Ақыл» ЖШС", "011140001654"),
        (
            "Энергия желісіндегі ақауларды анықтау",
            "Выявление сбоев в энергосети",
            "«Қуат Аналитика» ЖШС",
            "960240007379",
        ),
        ("Оқушылардың үлгерімін талдау", "Анализ успеваемости учащихся", "«Білім AI» ЖШС", "970240000890"),
        ("Дәрі-дәрмек қорын жоспарлау", "Планирование запасов лекарств", "«Фарм Болжам» ЖШС", "950341000052"),
        ("Жедел жәрдем шақыруларын сұрыптау", "Сортировка вызовов скорой помощи", "«Жедел AI» ЖШС", "961141000023"),
        ("Медициналық жазбаларды құрылымдау", "Структурирование медицинских записей", "«Жазба AI» ЖШС", "980540004568"),
    ];
    let (kk, ru, owner, bin) = systems[n % systems.len()];
    ApplicationForm {
        body: body.to_owned(),
        applicant: Applicant {
            role: Some(ApplicantRole::OwnerAndHolder),
            name: owner.to_owned(),
            bin_iin: bin.to_owned(),
            legal_address: "Астана қ., Есіл ауданы, Мәңгілік Ел даңғылы, 55/20".to_owned(),
            actual_address: "Астана қ., Есіл ауданы, Мәңгілік Ел даңғылы, 55/20".to_owned(),
            contact: Contact {
                name: "Сәрсенова Айгүл Болатқызы".to_owned(),
                position: "Директор".to_owned(),
                phone: "+7 701 000 00 00".to_owned(),
                email: "contact@example.kz".to_owned(),
            },
        },
        system: System {
            name: kk_ru(kk, ru),
            purpose: kk_ru("Маманның шешім қабылдауын қолдау", "Поддержка принятия решений специалистом"),
            area: kk_ru("Салалық мемлекеттік қызметтер", "Отраслевые государственные услуги"),
            functionality: kk_ru(
                "Деректерді талдайды, ықтимал ауытқуларды белгілейді және маманға түсіндірмемен ұсынады",
                "Анализирует данные, отмечает возможные отклонения и предлагает их специалисту с пояснением",
            ),
            conditions_of_use: kk_ru("Тек маманның бақылауымен", "Только под контролем специалиста"),
            models: Models {
                description: kk_ru("Терең нейрондық желі", "Глубокая нейронная сеть"),
                algorithm_type: "CNN / transformer".to_owned(),
                external_models: Some(false),
                embedded_models: Some(true),
            },
            data: DataCategories {
                categories: kk_ru("Иесіздендірілген жазбалар", "Обезличенные записи"),
                sources: kk_ru("Ведомстволық ақпараттық жүйелер", "Ведомственные информационные системы"),
            },
        },
        audit: Audit {
            auditor: kk_ru("«Сенімді Аудит» ЖШС", "ТОО «Сенімді Аудит»"),
            date: Some(jiff::civil::date(2026, 5, 14)),
            conclusions: kk_ru(
                "Ақпараттық жүйе талаптарға сәйкес келеді; тыйым салынған функционал анықталған жоқ",
                "Информационная система соответствует требованиям; запрещённый функционал не выявлен",
            ),
        },
        copyright: Copyright {
            certificate_number: format!("{}", 41_000 + n),
            certificate_date: Some(jiff::civil::date(2026, 1, 20)),
            author_contract: false,
        },
        declaration: Declaration { confirmed: true, signatory: "Сәрсенова А. Б.".to_owned() },
    }
}

/// A small, valid PDF for the sample documents.
pub fn sample_pdf(title: &str) -> Vec<u8> {
    senim_pdfread::raw::text_page(title)
}

fn pass() -> CheckOutcome {
    CheckOutcome { pass: Some(true), comment: String::new() }
}

/// An audit report as an auditor would write it about `form`: a tagged PDF with a text layer. With
/// `wrong_bin`, the report names a different BIN/IIN (the cross-check shows the mismatch).
pub fn audit_report_pdf(form: &senim_domain::application::ApplicationForm, wrong_bin: bool) -> anyhow::Result<Vec<u8>> {
    let date = form.audit.date.unwrap_or(jiff::civil::date(2026, 1, 15));
    let mut doc = senim_pdf::Document::new(senim_pdf::Meta::new(
        "Ақпараттық жүйе аудитінің аудиторлық қорытындысы",
        senim_pdf::Lang::Kk,
        date,
    ));
    let bin = if wrong_bin { "990340005678".to_owned() } else { form.applicant.bin_iin.clone() };
    let kk = |t: &LangText| t.best(Lang::Kk).to_owned();
    doc.heading("Ақпараттық жүйе аудитінің аудиторлық қорытындысы")
        .field("Жүйе", kk(&form.system.name))
        .field("Тапсырыс беруші", form.applicant.name.clone())
        .field("БСН/ЖСН", bin)
        .field("Аудитор", kk(&form.audit.auditor))
        .field("Аудит күні", date.strftime("%d.%m.%Y").to_string())
        .subheading("Қорытынды")
        .paragraph(kk(&form.audit.conclusions))
        // Order No. 263, item 13-1: the AI audit's two points.
        .paragraph(
            "Оқыту деректерінің кітапханалары бағаланды: деректер заңды жолмен алынған, міндетті метадеректер бар.",
        )
        .paragraph(
            "«Жасанды интеллект туралы» Заңның 17-бабының 3-тармағында тыйым салынған функционал анықталған жоқ.",
        );
    doc.render().map_err(|e| anyhow::anyhow!("audit report PDF: {e}"))
}

/// Loads the demo on an empty database; returns the accounts made, or `None` if users exist already.
pub async fn load(state: &AppState) -> anyhow::Result<Option<Vec<DemoAccount>>> {
    ensure_bodies(state).await?;
    if users::count(&state.store).await? > 0 {
        return Ok(None);
    }
    let body = "health";
    let mut accounts = Vec::new();
    let mut made = Vec::new();
    for (email, name, role, b) in [
        ("applicant@demo.senim.kz", "Айгүл Сәрсенова", Role::Applicant, None),
        ("reviewer@demo.senim.kz", "Ерлан Қасымов", Role::Reviewer, Some(body)),
        ("publisher@demo.senim.kz", "Гүлнар Әбенова", Role::Publisher, Some(body)),
        ("body-admin@demo.senim.kz", "Нұрлан Омаров", Role::BodyAdmin, Some(body)),
        ("admin@demo.senim.kz", "Жүйе әкімшісі", Role::Admin, None),
        ("observer@demo.senim.kz", "Сәуле Бекова", Role::Observer, None),
    ] {
        let (user, password) = account(state, email, name, role, b).await?;
        accounts.push(DemoAccount { email: email.to_owned(), role, body: b.map(str::to_owned), password });
        made.push(user);
    }
    // The demo applicant files for an organisation, as a self-registered one would.
    let mut profile = sample_form(body, 0).applicant;
    profile.role = None;
    let org =
        super::accounts::create_organisation(state, &made[0], profile).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    made[0].org_id = Some(org.id);
    let (applicant, reviewer, publisher) = (&made[0], &made[1], &made[2]);
    let now = Timestamp::now();
    let fail = |c: &str| CheckOutcome { pass: Some(false), comment: c.to_owned() };

    // One application in every status: draft, submitted, under_review, nonconforming (after the
    // applicant waived the hearing), included (pending publication), published, withdrawn, excluded, and
    // one in the hearing (АППК Art. 73).
    let mut ids = Vec::new();
    for n in 0..9 {
        let app =
            applications::create(state, applicant, sample_form(body, n)).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        if n > 0 {
            // The case under review has a report that names another BIN, for the cross-check to show.
            let report = audit_report_pdf(&app.form, n == 2)?;
            let certificate = sample_pdf("Copyright certificate");
            for (kind, name, bytes) in [
                (AttachmentKind::AuditReport, "Audit report.pdf", &report),
                (AttachmentKind::CopyrightCertificate, "Copyright certificate.pdf", &certificate),
            ] {
                applications::attach(state, applicant, &app.id, kind, name, bytes)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            applications::submit(state, applicant, &app.id, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        ids.push(app.id);
    }
    let include = ChecklistInput { completeness: pass(), copyright: pass(), audit: pass() };
    let notice = ChecklistInput {
        completeness: pass(),
        copyright: pass(),
        audit: fail(
            "Аудиторлық қорытындыда жүйенің нұсқасы көрсетілмеген / В аудиторском заключении не указана версия системы",
        ),
    };
    let err = |e: super::ServiceError| anyhow::anyhow!("{e}");
    review::take(state, reviewer, &ids[2]).await.map_err(err)?;
    review::decide(state, reviewer, &ids[3], &notice, now).await.map_err(err)?;
    let waive = senim_domain::hearing::ObjectionInput { waive: true, ..Default::default() };
    super::hearing::object(state, applicant, &ids[3], &waive, now).await.map_err(err)?;
    let final_notice = super::hearing::FinalDecisionInput { outcome: "nonconforming".into(), ..Default::default() };
    super::hearing::decide(state, reviewer, &ids[3], &final_notice, now).await.map_err(err)?;
    review::decide(state, reviewer, &ids[8], &notice, now).await.map_err(err)?;
    review::decide(state, reviewer, &ids[5], &include, now).await.map_err(err)?;
    review::decide(state, reviewer, &ids[7], &include, now).await.map_err(err)?;
    publication::publish(state, publisher, body, now).await.map_err(err)?;
    let excluded = senim_store::applications::get(&state.store, &ids[7]).await?.and_then(|a| a.registry_number);
    if let Some(number) = excluded {
        let reason = LangText::new()
            .with(Lang::Kk, "Меншік иесінің өтініші бойынша")
            .with(Lang::Ru, "По заявлению собственника");
        publication::exclude(state, publisher, body, &number, &reason).await.map_err(err)?;
        publication::publish(state, publisher, body, now).await.map_err(err)?;
    }
    review::decide(state, reviewer, &ids[4], &include, now).await.map_err(err)?;
    applications::withdraw(state, applicant, &ids[6]).await.map_err(err)?;
    Ok(Some(accounts))
}
