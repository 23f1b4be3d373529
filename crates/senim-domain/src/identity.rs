//! BIN and IIN: the twelve-digit identification numbers of the Annex 1 applicant block.
//!
//! A legal entity, its branch or representative office has a business identification number (BIN,
//! БСН/БИН); a person, including an individual entrepreneur trading in personal form, has an individual
//! identification number (IIN, ЖСН/ИИН). Basis: the Law "On national registers of identification
//! numbers" of 12 January 2007 and Government Decree No. 406 of 22 May 2007.
//!
//! Both kinds share one check-digit rule ([`check_digit`]). Everything else is a layout:
//!
//! | digits | IIN | BIN |
//! |---|---|---|
//! | 1–6 | date of birth `YYMMDD` | 1–2 year, 3–4 month of registration |
//! | 5 | (tens of the day: 0–3) | 4, 5 or 6: [`EntityType`] |
//! | 6 | (units of the day) | 0–3: [`OfficeKind`] |
//! | 7 | century and sex, 1–6 | serial number (7–11) |
//! | 8–11 | serial number | serial number |
//! | 12 | check digit | check digit |
//!
//! **Telling them apart.** Digit 5 is the tens of the day of birth in an IIN, so it is 0–3 there, and it
//! is 4–6 in a BIN. The two layouts therefore never both decode, and no number is ambiguous: digit 5
//! alone selects the layout, which then either decodes fully or the number is reported as
//! [`Decoded::Undecodable`] — never guessed.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A BIN or IIN: twelve ASCII digits whose last digit is the check digit of the first eleven.
///
/// A valid check digit does not mean the layout decodes (see [`BinIin::kind`]); the registries, not the
/// check digit, say whether a number was ever issued.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BinIin(String);

/// Whether a number is a business (BIN) or an individual (IIN) identification number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IdKind {
    Bin,
    Iin,
}

/// Why a text is not a BIN/IIN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Not exactly twelve ASCII digits (after trimming surrounding whitespace).
    #[error("a BIN/IIN is exactly 12 digits")]
    Format,
    /// The twelfth digit is not the check digit of the first eleven.
    #[error("the check digit (12th digit) of the BIN/IIN does not match")]
    Checksum,
    /// The first eleven digits admit no check digit at all: both passes give 10, so no such number is
    /// ever issued.
    #[error("no BIN/IIN begins with these 11 digits: they admit no check digit")]
    NoCheckDigit,
}

impl IdError {
    /// The stable, machine-readable code (API `error` fields, message catalogues).
    pub fn code(&self) -> &'static str {
        match self {
            IdError::Format => "bin_iin.format",
            IdError::Checksum => "bin_iin.checksum",
            IdError::NoCheckDigit => "bin_iin.no_check_digit",
        }
    }
}

/// Weights of the first pass: 1, 2, …, 11.
const FIRST_PASS: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/// Weights of the second pass: 3, 4, …, 11, 1, 2.
const SECOND_PASS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

fn weighted_mod_11(digits: &[u8; 11], weights: &[u32; 11]) -> u32 {
    digits.iter().zip(weights).map(|(&d, &w)| u32::from(d) * w).sum::<u32>() % 11
}

/// The check digit (digit 12) of the first eleven digits of a BIN/IIN, each given as a value 0–9.
///
/// The sum of the digits weighted 1, 2, …, 11 is taken modulo 11. If that gives 10, a second sum with
/// weights 3, 4, …, 11, 1, 2 is taken modulo 11; if it gives 10 again, there is no check digit and
/// `None` is returned (no number with this prefix is issued). Unlike the Russian OKPO rule, a second 10
/// is *not* turned into 0.
///
/// A known weakness of the national rule, worth knowing before trusting it to catch typing errors:
/// digit 11 has weight 11 ≡ 0 in the first pass, so when the first pass decides the check digit, a
/// typo in digit 11 goes unnoticed. Typos in digits 1–10 and swaps of adjacent digits 1–11 are caught
/// whenever the first pass decides both the right and the mistyped number.
///
/// Elements above 9 are not digits; the result for them is meaningless, but the function never panics.
pub fn check_digit(first11: &[u8; 11]) -> Option<u8> {
    let first = weighted_mod_11(first11, &FIRST_PASS);
    let c = if first == 10 { weighted_mod_11(first11, &SECOND_PASS) } else { first };
    // `c` is below 10 here, so the conversion cannot fail; `ok()` keeps this panic-free regardless.
    if c == 10 { None } else { u8::try_from(c).ok() }
}

/// The twelve digit values of a well-formed number, or `Format`.
fn digits_of(s: &str) -> Result<[u8; 12], IdError> {
    let bytes = s.as_bytes();
    if bytes.len() != 12 || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(IdError::Format);
    }
    let mut digits = [0u8; 12];
    for (d, b) in digits.iter_mut().zip(bytes) {
        *d = b - b'0';
    }
    Ok(digits)
}

/// Checks the twelfth digit against the first eleven.
fn verify(digits: &[u8; 12]) -> Result<(), IdError> {
    let mut first11 = [0u8; 11];
    first11.copy_from_slice(&digits[..11]);
    match check_digit(&first11) {
        None => Err(IdError::NoCheckDigit),
        Some(c) if c == digits[11] => Ok(()),
        Some(_) => Err(IdError::Checksum),
    }
}

impl BinIin {
    /// Parses a BIN/IIN. Surrounding whitespace is trimmed; nothing else is forgiven (no inner spaces,
    /// dashes or non-ASCII digits).
    pub fn parse(s: &str) -> Result<BinIin, IdError> {
        let s = s.trim();
        let digits = digits_of(s)?;
        verify(&digits)?;
        Ok(BinIin(s.to_owned()))
    }

    /// The twelve digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// BIN or IIN, as far as the layout decodes; `None` when neither does ([`Decoded::Undecodable`]).
    pub fn kind(&self) -> Option<IdKind> {
        self.decode().kind()
    }

    /// The parts encoded in the number (see the module documentation for the layouts).
    pub fn decode(&self) -> Decoded {
        // A `BinIin` always holds twelve digits; the fallback is unreachable but keeps this panic-free.
        digits_of(&self.0).map_or(Decoded::Undecodable, |d| decode_digits(&d))
    }
}

impl fmt::Display for BinIin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for BinIin {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BinIin::parse(s)
    }
}

impl Serialize for BinIin {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for BinIin {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        BinIin::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// What a number's layout says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Decoded {
    Iin(IinParts),
    Bin(BinParts),
    /// Neither layout decodes: digit 5 is 7–9; or it is 0–3 and digits 1–6 are no date or digit 7 is
    /// 0, 7, 8 or 9; or it is 4–6 and the month or digit 6 is out of range.
    Undecodable,
}

impl Decoded {
    pub fn kind(&self) -> Option<IdKind> {
        match self {
            Decoded::Iin(_) => Some(IdKind::Iin),
            Decoded::Bin(_) => Some(IdKind::Bin),
            Decoded::Undecodable => None,
        }
    }
}

/// The parts of an IIN: digits 1–6 are the date of birth, digit 7 the century and sex.
///
/// The date is not compared with today: a check digit cannot tell a future date from a typo, and
/// this module does no I/O (not even reading the clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IinParts {
    pub birth_date: Date,
    /// The first year of the century of birth: 1800 (digit 7 is 1 or 2), 1900 (3, 4), 2000 (5, 6).
    pub century: i16,
    pub sex: Sex,
}

/// Sex, from the parity of IIN digit 7: odd is male, even is female.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
}

/// The parts of a BIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BinParts {
    /// Digits 1–2 as a year. Kazakhstan's registrations begin in 1991, so `91`–`99` are 1991–1999 and
    /// `00`–`90` are 2000–2090.
    pub registration_year: i16,
    /// Digits 3–4, 1–12.
    pub registration_month: i8,
    /// Digit 5.
    pub entity_type: EntityType,
    /// Digit 6.
    pub office: OfficeKind,
}

/// BIN digit 5: what kind of entity is registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityType {
    /// 4: a resident legal entity.
    ResidentLegalEntity,
    /// 5: a non-resident legal entity.
    NonResidentLegalEntity,
    /// 6: an individual entrepreneur in joint entrepreneurship.
    JointIndividualEntrepreneur,
}

impl EntityType {
    fn from_digit(d: u8) -> Option<EntityType> {
        match d {
            4 => Some(EntityType::ResidentLegalEntity),
            5 => Some(EntityType::NonResidentLegalEntity),
            6 => Some(EntityType::JointIndividualEntrepreneur),
            _ => None,
        }
    }
}

/// BIN digit 6: which part of the entity the number belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfficeKind {
    /// 0: the head office.
    HeadOffice,
    /// 1: a branch.
    Branch,
    /// 2: a representative office.
    RepresentativeOffice,
    /// 3: a peasant (farm) household in joint entrepreneurship.
    PeasantFarm,
}

impl OfficeKind {
    fn from_digit(d: u8) -> Option<OfficeKind> {
        match d {
            0 => Some(OfficeKind::HeadOffice),
            1 => Some(OfficeKind::Branch),
            2 => Some(OfficeKind::RepresentativeOffice),
            3 => Some(OfficeKind::PeasantFarm),
            _ => None,
        }
    }
}

/// Two digits as a number 0–99.
fn two(hi: u8, lo: u8) -> i8 {
    // Both are digits, so the value is at most 99 and fits.
    i8::try_from(hi * 10 + lo).unwrap_or(i8::MAX)
}

fn decode_digits(d: &[u8; 12]) -> Decoded {
    let parts = match d[4] {
        0..=3 => decode_iin(d).map(Decoded::Iin),
        4..=6 => decode_bin(d).map(Decoded::Bin),
        _ => None,
    };
    parts.unwrap_or(Decoded::Undecodable)
}

fn decode_iin(d: &[u8; 12]) -> Option<IinParts> {
    let (century, sex) = match d[6] {
        1 => (1800, Sex::Male),
        2 => (1800, Sex::Female),
        3 => (1900, Sex::Male),
        4 => (1900, Sex::Female),
        5 => (2000, Sex::Male),
        6 => (2000, Sex::Female),
        _ => return None,
    };
    let year = century + i16::from(two(d[0], d[1]));
    let birth_date = Date::new(year, two(d[2], d[3]), two(d[4], d[5])).ok()?;
    Some(IinParts { birth_date, century, sex })
}

fn decode_bin(d: &[u8; 12]) -> Option<BinParts> {
    let yy = i16::from(two(d[0], d[1]));
    let registration_year = if yy >= 91 { 1900 + yy } else { 2000 + yy };
    let registration_month = two(d[2], d[3]);
    if !(1..=12).contains(&registration_month) {
        return None;
    }
    Some(BinParts {
        registration_year,
        registration_month,
        entity_type: EntityType::from_digit(d[4])?,
        office: OfficeKind::from_digit(d[5])?,
    })
}

/// The answer of `GET /api/v1/id/{number}`: serializable, with `None` fields skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdReport {
    /// The number as given, with surrounding whitespace trimmed.
    pub number: String,
    pub valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<IdKind>,
    /// [`IdError::code`] when not valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub century: Option<i16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_year: Option<i16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_month: Option<i8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<EntityType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office: Option<OfficeKind>,
}

/// Checks and decodes a number for the public check (`GET /api/v1/id/{number}`).
///
/// Anything that is not twelve digits gets `bin_iin.format` and nothing else. A twelve-digit number
/// with a wrong or impossible check digit is `valid: false` with its error code, but its layout is
/// still decoded, which helps a user find the mistyped digit.
pub fn report(input: &str) -> IdReport {
    let number = input.trim();
    let mut out = IdReport {
        number: number.to_owned(),
        valid: false,
        kind: None,
        error: None,
        birth_date: None,
        century: None,
        sex: None,
        registration_year: None,
        registration_month: None,
        entity_type: None,
        office: None,
    };
    let digits = match digits_of(number) {
        Ok(digits) => digits,
        Err(e) => {
            out.error = Some(e.code());
            return out;
        }
    };
    match verify(&digits) {
        Ok(()) => out.valid = true,
        Err(e) => out.error = Some(e.code()),
    }
    let decoded = decode_digits(&digits);
    out.kind = decoded.kind();
    match decoded {
        Decoded::Iin(p) => {
            out.birth_date = Some(p.birth_date);
            out.century = Some(p.century);
            out.sex = Some(p.sex);
        }
        Decoded::Bin(p) => {
            out.registration_year = Some(p.registration_year);
            out.registration_month = Some(p.registration_month);
            out.entity_type = Some(p.entity_type);
            out.office = Some(p.office);
        }
        Decoded::Undecodable => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(s: &str) -> [u8; 11] {
        let mut out = [0u8; 11];
        for (o, b) in out.iter_mut().zip(s.bytes()) {
            *o = b - b'0';
        }
        out
    }

    #[test]
    fn second_pass_weights_run_three_to_eleven_then_one_two() {
        assert_eq!(SECOND_PASS, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
        // 9701 2400 089: first pass gives 10, second pass gives 0.
        assert_eq!(weighted_mod_11(&prefix("97024000089"), &FIRST_PASS), 10);
        assert_eq!(check_digit(&prefix("97024000089")), Some(0));
    }

    #[test]
    fn a_second_ten_is_not_turned_into_zero() {
        assert_eq!(check_digit(&prefix("90010130080")), None);
    }

    #[test]
    fn bin_years_91_to_99_are_the_1990s_and_00_to_90_this_century() {
        let year = |yy: &str| {
            let d = digits_of(&format!("{yy}0140000000")).unwrap();
            match decode_bin(&d) {
                Some(p) => p.registration_year,
                None => 0,
            }
        };
        assert_eq!(year("91"), 1991);
        assert_eq!(year("99"), 1999);
        assert_eq!(year("00"), 2000);
        assert_eq!(year("90"), 2090);
    }

    #[test]
    fn iin_day_tens_never_reach_four_so_digit_5_separates_the_layouts() {
        let d = digits_of("880540300120").unwrap();
        assert!(decode_iin(&d).is_none());
    }
}
