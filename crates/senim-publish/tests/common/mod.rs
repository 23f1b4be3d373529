//! Fixtures shared by the integration tests: a body, entries full of Kazakh letters and markup, a
//! fixed key, and editions built from them.
#![allow(dead_code)] // each test binary uses a different part of the fixtures

use jiff::Timestamp;
use jiff::civil::date;
use senim_domain::annex2::{Annex2Entry, AuditColumn, BodyRef};
use senim_domain::lang::{Lang, LangText};
use senim_publish::edition::{Edition, EditionInput, build};
use senim_publish::keys::{EditionKey, PublicKeyInfo};
use senim_publish::manifest::{Changes, PreviousRef};

pub fn text(kk: &str, ru: &str) -> LangText {
    LangText::new().with(Lang::Kk, kk).with(Lang::Ru, ru)
}

pub fn body() -> BodyRef {
    BodyRef {
        code: "health".to_owned(),
        name: text("Денсаулық сақтау министрлігі", "Министерство здравоохранения").with(Lang::En, "Ministry of Health"),
    }
}

/// A legal entity's system: every Kazakh-specific letter, markup, a comma, quotes and a line break.
pub fn entry_of_company() -> Annex2Entry {
    Annex2Entry {
        registry_number: "HEALTH-2026-0001".to_owned(),
        position: 0,
        system_name: text("Әйгерім: рентгенді талдау", "Айгерим: анализ рентгенограмм"),
        owner: text("\"Ғылым-Қазақ\" ЖШС", "ТОО \"Гылым-Казах\""),
        owner_bin: Some("971240001315".to_owned()),
        area: text("Денсаулық сақтау", "Здравоохранение"),
        functionality: text(
            "Өкпе суреттерін талдайды,\nҰсыныс береді <script>alert('Қ')</script>",
            "Анализирует снимки лёгких, <b>подсказывает</b>",
        ),
        audit: AuditColumn {
            auditor: text("Үміт Аудит ЖШС", "ТОО Умит Аудит"),
            date: date(2026, 5, 14),
            conclusions: text("Сәйкес келеді & Һ І", "Соответствует"),
        },
        included_on: date(2026, 6, 2),
        body: body(),
    }
}

/// A person's system: no BIN, a name only in Russian (the Kazakh rendering falls back to it).
pub fn entry_of_person() -> Annex2Entry {
    Annex2Entry {
        registry_number: "HEALTH-2026-0002".to_owned(),
        position: 0,
        system_name: LangText::new().with(Lang::Ru, "Ңұр <script>x()</script>"),
        owner: text("Өмірзақ Ұлықбек", "Омирзак Улыкбек"),
        owner_bin: None,
        area: text("Медицина", "Медицина"),
        functionality: text("Кестені жоспарлау", "Планирование"),
        audit: AuditColumn {
            auditor: text("Аудит", "Аудит"),
            date: date(2026, 5, 20),
            conclusions: text("Оң", "Положительное"),
        },
        included_on: date(2026, 6, 3),
        body: body(),
    }
}

/// A third system with English texts throughout.
pub fn entry_in_three_languages() -> Annex2Entry {
    Annex2Entry {
        registry_number: "HEALTH-2026-0003".to_owned(),
        position: 0,
        system_name: text("Һикмет", "Хикмет").with(Lang::En, "Hikmet"),
        owner: text("Ақ Желкен АҚ", "АО Ак Желкен").with(Lang::En, "Ak Zhelken JSC"),
        owner_bin: Some("040840003227".to_owned()),
        area: text("Диагностика", "Диагностика").with(Lang::En, "Diagnostics"),
        functionality: text("Қауіпті бағалау", "Оценка риска").with(Lang::En, "Risk scoring"),
        audit: AuditColumn {
            auditor: text("Іскер", "Искер").with(Lang::En, "Isker LLP"),
            date: date(2026, 4, 1),
            conclusions: text("Оң", "Положительное").with(Lang::En, "Positive"),
        },
        included_on: date(2026, 6, 4),
        body: body(),
    }
}

pub fn entries() -> Vec<Annex2Entry> {
    vec![entry_of_company(), entry_of_person(), entry_in_three_languages()]
}

pub fn key() -> EditionKey {
    EditionKey::from_secret_bytes(&[7u8; 32])
}

pub fn keys() -> Vec<PublicKeyInfo> {
    vec![
        EditionKey::from_secret_bytes(&[1u8; 32])
            .public_key_info("2026-01-01T00:00:00+05:00", Some("2026-04-01T00:00:00+05:00")),
        key().public_key_info("2026-04-01T00:00:00+05:00", None),
    ]
}

pub fn published_at() -> Timestamp {
    "2026-06-05T05:12:03Z".parse().unwrap()
}

pub fn build_edition(number: u32, previous: Option<PreviousRef>, entries: Vec<Annex2Entry>) -> Edition {
    let key = key();
    build(EditionInput {
        body: body(),
        number,
        published_at: published_at(),
        previous,
        changes: Changes { added: entries.iter().map(|e| e.registry_number.clone()).collect(), ..Changes::default() },
        entries,
        key: &key,
    })
}

/// The edition of [`entries`], edition 1.
pub fn sample() -> Edition {
    build_edition(1, None, entries())
}
