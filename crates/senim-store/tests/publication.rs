//! Scheduled publication's claim (issue 5), on SQLite and on PostgreSQL: of two instances claiming the
//! same body's day at once, exactly one wins.

use senim_domain::lang::{Lang, LangText};
use senim_store::bodies::{self, Body};
use senim_store::{Store, dual_tests, schedules};

async fn seed_body(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    let name = LangText::new().with(Lang::Kk, "Денсаулық сақтау министрлігі");
    let body = Body { code: "health".into(), name: name.clone(), short_name: name, gov_slug: None, sort_order: 1 };
    bodies::upsert(&mut tx, &body).await.unwrap();
    tx.commit().await.unwrap();
}

dual_tests! {
    async fn a_schedule_is_set_changed_and_switched_off(db: TestDb) {
        seed_body(&db.store).await;
        assert!(schedules::get(&db.store, "health").await.unwrap().is_none());
        let mut tx = db.store.begin().await.unwrap();
        schedules::set(&mut tx, "health", Some("09:00"), "u1").await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.store.begin().await.unwrap();
        schedules::set(&mut tx, "health", Some("18:30"), "u2").await.unwrap();
        tx.commit().await.unwrap();
        let s = schedules::get(&db.store, "health").await.unwrap().unwrap();
        assert_eq!((s.at_time.as_deref(), s.updated_by.as_str()), (Some("18:30"), "u2"));
        assert_eq!(schedules::enabled(&db.store).await.unwrap().len(), 1);
        let mut tx = db.store.begin().await.unwrap();
        schedules::set(&mut tx, "health", None, "u2").await.unwrap();
        tx.commit().await.unwrap();
        assert!(schedules::enabled(&db.store).await.unwrap().is_empty(), "off: not run");
    }

    async fn a_days_run_is_claimed_once_even_by_two_instances_at_once(db: TestDb) {
        seed_body(&db.store).await;
        let mut tx = db.store.begin().await.unwrap();
        assert!(schedules::claim(&mut tx, "health", "2026-12-01", "nothing", None).await.unwrap());
        tx.commit().await.unwrap();
        let mut tx = db.store.begin().await.unwrap();
        assert!(!schedules::claim(&mut tx, "health", "2026-12-01", "published", Some(1)).await.unwrap());
        tx.commit().await.unwrap();
        let run = schedules::run_of(&db.store, "health", "2026-12-01").await.unwrap().unwrap();
        assert_eq!(run.outcome, "nothing", "the second claim changed nothing");

        // Two instances: two pools on one database, claiming the same day concurrently.
        let other = Store::connect(&db.url).await.unwrap();
        let claim = |store: Store| async move {
            let mut tx = store.begin().await.unwrap();
            let won = schedules::claim(&mut tx, "health", "2026-12-02", "published", Some(2)).await.unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            tx.commit().await.unwrap();
            won
        };
        let (a, b) = tokio::join!(tokio::spawn(claim(db.store.clone())), tokio::spawn(claim(other.clone())));
        let wins = [a.unwrap(), b.unwrap()].iter().filter(|w| **w).count();
        assert_eq!(wins, 1, "exactly one instance runs the day");
        assert_eq!(schedules::runs(&db.store, "health", 10).await.unwrap().len(), 2);
        other.close().await;
    }
}
