//! `senim serve --demo` loads the bodies, one account per role, an application in every status and a
//! published edition, on either database.

use senim_store::{applications as apps, dual_tests, editions};
use senim_web::{AppState, Config};

dual_tests! {
    async fn demo_has_every_status_and_a_published_edition(db: TestDb) {
        let state = AppState::load(db.store.clone(), Config { app: senim_app::Config { demo: true, ..Default::default() }, ..Default::default() }).await.unwrap();
        let accounts = senim_web::services::demo::load(&state).await.unwrap().expect("empty database");
        let roles: Vec<&str> = accounts.iter().map(|a| a.role.code()).collect();
        assert_eq!(roles, ["applicant", "reviewer", "publisher", "body_admin", "admin", "observer"]);
        let counts = apps::count_by_status(&db.store).await.unwrap();
        let statuses: Vec<&str> = counts.iter().map(|(s, _)| s.as_str()).collect();
        for s in senim_domain::status::Status::ALL {
            assert!(statuses.contains(&s.code()), "no demo application is {}", s.code());
        }
        assert!(senim_store::bodies::count(&db.store).await.unwrap() >= 15);
        assert_eq!(editions::latest(&db.store, "health").await.unwrap().unwrap().number, 2);
        assert!(senim_web::services::demo::load(&state).await.unwrap().is_none(), "loads only once");
        assert!(matches!(
            senim_store::audit::verify(&db.store).await.unwrap(),
            senim_store::audit::ChainCheck::Intact { .. }
        ));
    }
}
