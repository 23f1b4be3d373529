//! `senim seed`: a body's List with N realistic included applications and a published edition, so that
//! benchmarks and demos of scale start from one command (issue 7). Deterministic: the same N gives the
//! same texts, names and BINs.
//!
//! Rows are written directly through the store in batches (a thousand per transaction), not through the
//! applicant's and reviewer's workflows: the point is a large List, not a large audit log.

use jiff::Timestamp;
use jiff::civil::Date;
use senim_domain::annex2::{project, registry_number};
use senim_domain::application::{Applicant, ApplicantRole, ApplicationForm, Audit, Contact, Copyright, Declaration};
use senim_domain::calendar::{WorkingDays, kz_date};
use senim_domain::lang::{Lang, LangText};
use senim_domain::role::Role;
use senim_domain::status::Status;
use senim_store::users::{self, NewUser};
use senim_store::{applications as apps, bodies, entries};

use crate::AppState;

const BATCH: usize = 1000;
const SEED_USER: &str = "seed@senim.localhost";

/// A small deterministic generator (xorshift64*): reproducible data without a dependency.
pub struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[usize::try_from(self.next() % items.len() as u64).unwrap_or(0)]
    }
}

const KK_SUBJECTS: [&str; 8] = [
    "Медициналық суреттерді",
    "Қаржылық операцияларды",
    "Жол қозғалысын",
    "Ауыл шаруашылығы деректерін",
    "Білім беру нәтижелерін",
    "Энергия тұтынуды",
    "Құжат ағынын",
    "Әлеуметтік төлемдерді",
];
const KK_VERBS: [&str; 6] = ["талдайды", "бақылайды", "болжайды", "тексереді", "жіктейді", "бағалайды"];
const KK_TAILS: [&str; 6] = [
    "маманның шешімін қолдау үшін",
    "тәуекелді ерте анықтау мақсатында",
    "қызмет сапасын арттыру үшін",
    "заң талаптарына сәйкес",
    "адамның бақылауымен",
    "деректерді қорғау шараларын сақтай отырып",
];
const RU_SUBJECTS: [&str; 8] = [
    "медицинские изображения",
    "финансовые операции",
    "дорожное движение",
    "сельскохозяйственные данные",
    "результаты обучения",
    "энергопотребление",
    "документооборот",
    "социальные выплаты",
];
const RU_VERBS: [&str; 6] = ["анализирует", "отслеживает", "прогнозирует", "проверяет", "классифицирует", "оценивает"];
const AREAS: [(&str, &str); 6] = [
    ("Денсаулық сақтау", "Здравоохранение"),
    ("Қаржы", "Финансы"),
    ("Көлік", "Транспорт"),
    ("Ауыл шаруашылығы", "Сельское хозяйство"),
    ("Білім беру", "Образование"),
    ("Энергетика", "Энергетика"),
];
const OWNERS: [&str; 8] = [
    "Сенім Тех",
    "Дала AI",
    "Алатау Деректер",
    "Қазақ Ақыл",
    "Есіл Жүйелері",
    "Тұран Аналитика",
    "Ұлытау Цифр",
    "Іле Инновация",
];

fn kk_ru(kk: String, ru: String) -> LangText {
    LangText::new().with(Lang::Kk, kk).with(Lang::Ru, ru)
}

/// A valid BIN of a legal entity (type digit 4), from the generator.
fn bin(rng: &mut Rng) -> String {
    loop {
        let mut d = [0u8; 11];
        let yy = 10 + rng.next() % 16;
        let mm = 1 + rng.next() % 12;
        // Type 4 (a resident legal entity), office 0 (a head office), then a serial.
        let head = format!("{yy:02}{mm:02}40{:05}", rng.next() % 100_000);
        for (slot, c) in d.iter_mut().zip(head.bytes()) {
            *slot = c - b'0';
        }
        if let Some(c) = senim_domain::identity::check_digit(&d) {
            return format!("{head}{c}");
        }
    }
}

/// The i-th sample application: texts of realistic length in Kazakh and Russian.
pub fn sample(body: &str, i: usize, rng: &mut Rng) -> ApplicationForm {
    let (kk_s, ru_s) = {
        let k = usize::try_from(rng.next() % 8).unwrap_or(0);
        (KK_SUBJECTS[k], RU_SUBJECTS[k])
    };
    let (kk_v, ru_v) = {
        let k = usize::try_from(rng.next() % 6).unwrap_or(0);
        (KK_VERBS[k], RU_VERBS[k])
    };
    let (area_kk, area_ru) = AREAS[i % AREAS.len()];
    let owner = format!("«{} {}» ЖШС", rng.pick(&OWNERS), i % 997);
    let tail = rng.pick(&KK_TAILS);
    let purpose_kk = format!(
        "Жүйе {} {} {tail}. Ол деректерді нақты уақытта өңдейді, нәтижелерді түсіндіреді және әр шешімнің негізін журналға жазады.",
        kk_s.to_lowercase(),
        kk_v
    );
    let purpose_ru = format!(
        "Система {ru_v} {ru_s} для поддержки решений специалиста. Она обрабатывает данные в реальном времени, объясняет результаты и записывает основания каждого решения в журнал."
    );
    ApplicationForm {
        body: body.to_owned(),
        applicant: Applicant {
            role: Some(ApplicantRole::OwnerAndHolder),
            name: owner,
            bin_iin: bin(rng),
            legal_address: "Астана қ., Мәңгілік Ел даңғылы 1".into(),
            actual_address: "Астана қ., Мәңгілік Ел даңғылы 1".into(),
            contact: Contact {
                name: "Сынақ Байланыс".into(),
                position: "Директор".into(),
                phone: "+7 701 000 00 00".into(),
                email: "contact@seed.senim.localhost".into(),
            },
        },
        system: senim_domain::application::System {
            name: kk_ru(format!("{kk_s} {kk_v} жүйе № {i}"), format!("Система, которая {ru_v} {ru_s}, № {i}")),
            purpose: kk_ru(purpose_kk.clone(), purpose_ru.clone()),
            area: kk_ru(area_kk.into(), area_ru.into()),
            functionality: kk_ru(purpose_kk, purpose_ru),
            conditions_of_use: kk_ru("Маманның бақылауымен ғана".into(), "Только под контролем специалиста".into()),
            models: senim_domain::application::Models {
                description: kk_ru(
                    "Градиенттік бустинг және нейрондық желі".into(),
                    "Градиентный бустинг и нейронная сеть".into(),
                ),
                algorithm_type: "ML".into(),
                external_models: Some(i.is_multiple_of(3)),
                embedded_models: Some(true),
            },
            data: senim_domain::application::DataCategories {
                categories: kk_ru("Иесіздендірілген жазбалар".into(), "Обезличенные записи".into()),
                sources: kk_ru(
                    "Мемлекеттік ақпараттық жүйелер".into(),
                    "Государственные информационные системы".into(),
                ),
            },
        },
        audit: Audit {
            auditor: kk_ru("«Аудит Сервис» ЖШС".into(), "ТОО «Аудит Сервис»".into()),
            date: Some(jiff::civil::date(2026, 1, 15)),
            conclusions: kk_ru("Талаптарға сәйкес келеді".into(), "Соответствует требованиям".into()),
        },
        copyright: Copyright {
            certificate_number: format!("{}", 40_000 + i),
            certificate_date: Some(jiff::civil::date(2026, 1, 10)),
            author_contract: false,
        },
        declaration: Declaration { confirmed: true, signatory: "Сынақ Байланыс".into() },
    }
}

/// What `seed` reports as it goes: (done, total, stage).
pub type Progress<'a> = &'a (dyn Fn(usize, usize, &str) + Sync);

/// What seeding did: the edition published and how long publishing it took (every artifact rendered,
/// hashed, signed and stored), the figure of the publication benchmark.
pub struct Seeded {
    pub edition: i64,
    pub publish_secs: f64,
}

/// Creates `n` included applications of `body_code`, then publishes the next edition.
pub async fn seed(state: &AppState, body_code: &str, n: usize, progress: Progress<'_>) -> anyhow::Result<Seeded> {
    super::demo::ensure_bodies(state).await?;
    let body = bodies::get(&state.store, body_code).await?.ok_or_else(|| anyhow::anyhow!("no body `{body_code}`"))?;
    let user = match users::by_email(&state.store, SEED_USER).await? {
        Some(u) => u,
        None => {
            let hash = crate::passwords::hash_password_blocking(crate::passwords::new_token()?).await?;
            let mut tx = state.store.begin().await?;
            let u = users::create(
                &mut tx,
                NewUser {
                    email: SEED_USER,
                    name: "Seed",
                    password_hash: &hash,
                    role: Role::Applicant,
                    body_code: None,
                },
            )
            .await?;
            tx.commit().await?;
            u
        }
    };
    let today = kz_date(Timestamp::now());
    let due = state.calendar().due_date(today, WorkingDays::PUBLICATION)?;
    let mut rng = Rng(0x5e1d_5e1d ^ n as u64);
    let mut done = 0;
    while done < n {
        let mut tx = state.store.begin().await?;
        for i in done..(done + BATCH).min(n) {
            let form = sample(body_code, i, &mut rng);
            let included_on: Date = today - jiff::Span::new().days(i64::try_from(i % 300).unwrap_or(0));
            let app = apps::create(&mut tx, &user.id, None, &form).await?;
            apps::set_status(&mut tx, &app.id, Status::Draft, Status::Included).await?;
            let serial = apps::next_registry_serial(&mut tx, body_code, included_on.year()).await?;
            let number = registry_number(body_code, included_on.year(), serial);
            let entry = project(&form, &number, included_on, &body.as_ref()).map_err(|e| anyhow::anyhow!("{e}"))?;
            entries::add(&mut tx, &entry, &app.id, due).await?;
            apps::set_inclusion(&mut tx, &app.id, &number, included_on, due).await?;
        }
        tx.commit().await?;
        done = (done + BATCH).min(n);
        progress(done, n, "applications");
    }
    progress(0, 1, "publishing");
    let started = std::time::Instant::now();
    let edition = super::publication::publish_as(state, &user.id, body_code, Timestamp::now())
        .await
        .map_err(|e| anyhow::anyhow!("publishing: {e}"))?;
    let publish_secs = started.elapsed().as_secs_f64();
    progress(1, 1, "publishing");
    Ok(Seeded { edition: edition.number, publish_secs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_bins_are_valid_and_texts_are_bilingual() {
        let mut rng = Rng(42);
        for i in 0..200 {
            let f = sample("health", i, &mut rng);
            let id = senim_domain::identity::BinIin::parse(&f.applicant.bin_iin).expect("valid BIN");
            assert_eq!(id.kind(), Some(senim_domain::identity::IdKind::Bin), "{}", f.applicant.bin_iin);
            assert!(f.system.purpose.get(Lang::Kk).is_some_and(|t| t.chars().count() > 100));
            assert!(f.system.purpose.get(Lang::Ru).is_some_and(|t| t.chars().count() > 100));
            assert!(f.check_complete(jiff::civil::date(2026, 11, 24)).is_empty());
        }
    }
}
