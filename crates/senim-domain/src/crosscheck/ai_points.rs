//! The two assessments an audit of an AI system must contain (Rules for auditing information systems,
//! Order No. 263 of 13 June 2018 as amended by Order No. 102/НҚ of 26 February 2026, item 13-1): (a) the
//! quality and lawfulness of the data libraries the system was trained on, and (b) the absence of the
//! functionality Art. 17(3) of the Law "On Artificial Intelligence" prohibits. The reviewer sees whether
//! and where the report's text speaks of each — a pointer to read, not a verdict.

use serde::Serialize;

use super::matching::{Finding, Normalized, find_any};

/// One of the AI-specific points of the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AiPoint {
    /// (a) The training data libraries: their quality and lawfulness (mandatory metadata).
    TrainingData,
    /// (b) No functionality prohibited by Art. 17(3) of the Law on AI.
    ProhibitedFunctionality,
}

impl AiPoint {
    pub const ALL: [AiPoint; 2] = [AiPoint::TrainingData, AiPoint::ProhibitedFunctionality];

    pub fn code(self) -> &'static str {
        match self {
            AiPoint::TrainingData => "training_data",
            AiPoint::ProhibitedFunctionality => "prohibited_functionality",
        }
    }

    /// The phrases a Kazakh, Russian or English report uses for the point (matched as the facts are:
    /// case, line breaks, quotes and ё/е do not matter; a stem matches its inflected forms).
    fn phrases(self) -> &'static [&'static str] {
        match self {
            AiPoint::TrainingData => &[
                "оқыту деректер",
                "оқытуға арналған деректер",
                "оқытылған деректер",
                "деректер кітапхана",
                "обучающ",
                "данных для обучения",
                "данные для обучения",
                "библиотек данных",
                "training data",
                "data librar",
            ],
            AiPoint::ProhibitedFunctionality => &[
                "17-бабының 3-тармағ",
                "17-бабы 3-тармағ",
                "тыйым салынған функционал",
                "пункта 3 статьи 17",
                "пункт 3 статьи 17",
                "статьи 17 закона",
                "запрещенн",
                "article 17(3)",
                "art. 17(3)",
                "prohibited functionalit",
            ],
        }
    }
}

/// Whether and where the report speaks of one point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointCheck {
    pub point: AiPoint,
    #[serde(flatten)]
    pub finding: Finding,
}

pub(super) fn check(pages: &[Normalized]) -> Vec<PointCheck> {
    AiPoint::ALL
        .iter()
        .map(|&point| {
            let phrases: Vec<String> = point.phrases().iter().map(|p| (*p).to_owned()).collect();
            PointCheck { point, finding: find_any(&phrases, pages) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pages: &[&str]) -> Vec<Finding> {
        let normalized: Vec<Normalized> = pages.iter().map(|p| Normalized::new(p)).collect();
        check(&normalized).into_iter().map(|c| c.finding).collect()
    }

    #[test]
    fn order_263_item_13_1_both_points_are_found_where_a_kazakh_report_states_them() {
        let pages = [
            "1. Жалпы мәліметтер",
            "4. Оқыту деректерінің кітапханалары тексерілді: міндетті метадеректер бар.\n\
             5. «Жасанды интеллект туралы» Заңның 17-бабының 3-тармағында тыйым салынған функционал анықталған жоқ.",
        ];
        let found = run(&pages);
        assert!(matches!(&found[0], Finding::Found { page: 2, .. }), "{found:?}");
        assert!(
            matches!(&found[1], Finding::Found { page: 2, excerpt, .. } if excerpt.contains("17-бабының")),
            "{found:?}"
        );
    }

    #[test]
    fn russian_and_english_reports_are_read_too_and_a_silent_one_is_missing() {
        let ru = run(&["Качество обучающих ДАННЫХ оценено. Запрещённый функционал (пункт 3 статьи 17) не выявлен."]);
        assert!(ru.iter().all(|f| matches!(f, Finding::Found { page: 1, .. })), "{ru:?}");
        let en = run(&[
            "The training\ndata libraries were assessed; no functionality prohibited by Article 17(3) was found.",
        ]);
        assert!(en.iter().all(|f| matches!(f, Finding::Found { .. })), "{en:?}");
        let silent = run(&["Ақпараттық жүйенің қауіпсіздігі тексерілді."]);
        assert_eq!(silent, [Finding::Missing, Finding::Missing]);
    }
}
