//! The published health body of the public-side tests (reports, artifact serving, the personal-data
//! crawl): the one fixture of the test kit, [`crate::common::health::Health`].
#![allow(dead_code, unused_imports)]

pub use crate::common::header;
pub use crate::common::health::Health;
