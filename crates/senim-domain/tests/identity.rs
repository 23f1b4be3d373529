//! BIN/IIN of the Annex 1 applicant block: the check digit and the two layouts.

use jiff::civil::date;
use proptest::prelude::*;
use senim_domain::identity::{
    BinIin, BinParts, Decoded, EntityType, IdError, IdKind, IinParts, OfficeKind, Sex, check_digit, report,
};

fn digits11(s: &str) -> [u8; 11] {
    let mut out = [0u8; 11];
    assert_eq!(s.len(), 11);
    for (o, b) in out.iter_mut().zip(s.bytes()) {
        *o = b - b'0';
    }
    out
}

fn first_pass(d: &[u8]) -> u32 {
    d.iter().take(11).zip(1u32..).map(|(&x, w)| u32::from(x) * w).sum::<u32>() % 11
}

fn to_string(d: &[u8]) -> String {
    d.iter().map(|x| char::from(b'0' + x)).collect()
}

fn bin(s: &str) -> BinParts {
    match BinIin::parse(s).unwrap().decode() {
        Decoded::Bin(p) => p,
        other => panic!("{s} should decode as a BIN, got {other:?}"),
    }
}

fn iin(s: &str) -> IinParts {
    match BinIin::parse(s).unwrap().decode() {
        Decoded::Iin(p) => p,
        other => panic!("{s} should decode as an IIN, got {other:?}"),
    }
}

// ---- Numbers of the reference ----

#[test]
fn real_bins_with_first_pass_check_digits_are_valid() {
    for n in ["940140000385", "950341000052", "971240001315", "990140004654"] {
        let id = BinIin::parse(n).unwrap_or_else(|e| panic!("{n}: {e}"));
        assert_eq!(id.kind(), Some(IdKind::Bin), "{n}");
        assert_ne!(first_pass(&digits11(&n[..11])), 10, "{n} is decided by the first pass");
    }
}

#[test]
fn real_bins_that_need_the_second_pass_are_valid() {
    for n in ["961141000023", "011140001654", "960240007379", "970240000890"] {
        assert_eq!(first_pass(&digits11(&n[..11])), 10, "{n} needs the second pass");
        let id = BinIin::parse(n).unwrap_or_else(|e| panic!("{n}: {e}"));
        assert_eq!(id.kind(), Some(IdKind::Bin), "{n}");
    }
}

#[test]
fn second_pass_can_give_check_digit_zero() {
    assert_eq!(check_digit(&digits11("97024000089")), Some(0));
    assert!(BinIin::parse("970240000890").is_ok());
}

#[test]
fn halyk_head_office_decodes_as_resident_head_office_of_january_1994() {
    assert_eq!(
        bin("940140000385"),
        BinParts {
            registration_year: 1994,
            registration_month: 1,
            entity_type: EntityType::ResidentLegalEntity,
            office: OfficeKind::HeadOffice,
        }
    );
}

#[test]
fn halyk_branches_decode_as_branches() {
    let p = bin("950341000052");
    assert_eq!((p.registration_year, p.registration_month), (1995, 3));
    assert_eq!(p.office, OfficeKind::Branch);
    let p = bin("961141000023");
    assert_eq!((p.registration_year, p.registration_month), (1996, 11));
    assert_eq!(p.office, OfficeKind::Branch);
}

#[test]
fn bin_year_01_is_2001() {
    assert_eq!(bin("011140001654").registration_year, 2001);
}

#[test]
fn wrong_check_digit_is_a_checksum_error_and_the_right_one_is_valid() {
    assert_eq!(BinIin::parse("181240006528"), Err(IdError::Checksum));
    assert!(BinIin::parse("181240006529").is_ok());
    assert_eq!(bin("181240006529").registration_year, 2018);
}

#[test]
fn month_99_is_invalid_by_check_digit_and_undecodable() {
    assert_eq!(BinIin::parse("949940000385"), Err(IdError::Checksum));
    let r = report("949940000385");
    assert!(!r.valid);
    assert_eq!(r.error, Some("bin_iin.checksum"));
    assert_eq!(r.kind, None, "month 99 decodes as neither layout");
}

#[test]
fn digit_5_of_nine_is_invalid_by_check_digit_and_undecodable() {
    assert_eq!(BinIin::parse("940190000385"), Err(IdError::Checksum));
    let r = report("940190000385");
    assert_eq!(r.error, Some("bin_iin.checksum"));
    assert_eq!(r.kind, None, "digit 5 = 9 is neither a BIN type nor a day's tens");
}

#[test]
fn synthetic_iin_880515300120_is_a_man_born_15_may_1988() {
    assert_eq!(iin("880515300120"), IinParts { birth_date: date(1988, 5, 15), century: 1900, sex: Sex::Male });
}

#[test]
fn synthetic_iin_950101400012_is_a_woman_born_1_january_1995() {
    assert_eq!(iin("950101400012"), IinParts { birth_date: date(1995, 1, 1), century: 1900, sex: Sex::Female });
}

#[test]
fn synthetic_iin_061211600012_is_a_woman_born_11_december_2006() {
    assert_eq!(iin("061211600012"), IinParts { birth_date: date(2006, 12, 11), century: 2000, sex: Sex::Female });
    assert_eq!(BinIin::parse("061211600012").unwrap().kind(), Some(IdKind::Iin));
}

#[test]
fn prefixes_90010130080_and_90010130161_admit_no_check_digit() {
    for p in ["90010130080", "90010130161"] {
        assert_eq!(check_digit(&digits11(p)), None, "{p}");
        for last in '0'..='9' {
            let n = format!("{p}{last}");
            assert_eq!(BinIin::parse(&n), Err(IdError::NoCheckDigit), "{n}");
        }
    }
    assert_eq!(report("900101300801").error, Some("bin_iin.no_check_digit"));
}

// ---- Parsing ----

#[test]
fn surrounding_whitespace_is_trimmed() {
    let id = BinIin::parse("  940140000385\n").unwrap();
    assert_eq!(id.as_str(), "940140000385");
    assert_eq!(id.to_string(), "940140000385");
}

#[test]
fn inner_spaces_dashes_and_other_lengths_are_format_errors() {
    for s in [
        "",
        "9401 40000385",
        "9401-40000385",
        "94014000038",
        "9401400003850",
        "94014000038a",
        "٩٤٠١٤٠٠٠٠٣٨٥",
        "９４０１４００００３８５",
    ] {
        assert_eq!(BinIin::parse(s), Err(IdError::Format), "{s:?}");
    }
}

#[test]
fn error_codes_are_stable() {
    assert_eq!(IdError::Format.code(), "bin_iin.format");
    assert_eq!(IdError::Checksum.code(), "bin_iin.checksum");
    assert_eq!(IdError::NoCheckDigit.code(), "bin_iin.no_check_digit");
}

#[test]
fn from_str_is_parse() {
    let id: BinIin = "971240001315".parse().unwrap();
    assert_eq!(id.as_str(), "971240001315");
    assert_eq!("97124000131".parse::<BinIin>(), Err(IdError::Format));
}

#[test]
fn serde_is_a_plain_string_and_deserializing_validates() {
    let id = BinIin::parse("940140000385").unwrap();
    assert_eq!(serde_json::to_string(&id).unwrap(), "\"940140000385\"");
    let back: BinIin = serde_json::from_str("\"940140000385\"").unwrap();
    assert_eq!(back, id);
    assert!(serde_json::from_str::<BinIin>("\"181240006528\"").is_err());
    assert!(serde_json::from_str::<BinIin>("940140000385").is_err());
}

// ---- Layouts ----

/// A valid number from its first ten digits: digit 11 is the first value that admits a check digit
/// (one always does: when the first pass gives 10, the second weighs digit 11 by 2).
fn complete(first10: &str) -> String {
    (0..=9u8)
        .find_map(|d11| {
            let prefix = format!("{first10}{d11}");
            check_digit(&digits11(&prefix)).map(|c| format!("{prefix}{c}"))
        })
        .unwrap()
}

#[test]
fn bin_digit_6_outside_0_to_3_is_undecodable() {
    let id = BinIin::parse(&complete("9401470003")).unwrap();
    assert_eq!(id.decode(), Decoded::Undecodable);
    assert_eq!(id.kind(), None);
}

#[test]
fn bin_entity_types_and_offices_decode_from_digits_5_and_6() {
    let cases = [
        ("9401520003", EntityType::NonResidentLegalEntity, OfficeKind::RepresentativeOffice),
        ("9401630003", EntityType::JointIndividualEntrepreneur, OfficeKind::PeasantFarm),
    ];
    for (first10, entity_type, office) in cases {
        let p = bin(&complete(first10));
        assert_eq!((p.entity_type, p.office), (entity_type, office), "{first10}");
    }
}

#[test]
fn bin_month_00_or_13_is_undecodable() {
    for first10 in ["9400400003", "9413400003"] {
        assert_eq!(BinIin::parse(&complete(first10)).unwrap().kind(), None, "{first10}");
    }
}

#[test]
fn iin_with_an_impossible_date_or_century_digit_is_undecodable() {
    // 30 February; month 13; day 00; digit 7 = 0, 7, 8, 9.
    for first10 in ["8802303001", "8813153001", "8805003001", "8805150001", "8805157001", "8805158001", "8805159001"] {
        assert_eq!(BinIin::parse(&complete(first10)).unwrap().kind(), None, "{first10}");
    }
}

#[test]
fn iin_century_digits_1_to_6_give_1800s_1900s_2000s_odd_male_even_female() {
    let cases = [
        ('1', 1800, Sex::Male),
        ('2', 1800, Sex::Female),
        ('3', 1900, Sex::Male),
        ('4', 1900, Sex::Female),
        ('5', 2000, Sex::Male),
        ('6', 2000, Sex::Female),
    ];
    for (digit7, century, sex) in cases {
        let p = iin(&complete(&format!("880515{digit7}001")));
        assert_eq!(p.birth_date, date(century + 88, 5, 15));
        assert_eq!((p.century, p.sex), (century, sex));
    }
}

#[test]
fn iin_29_february_decodes_only_in_a_leap_year() {
    assert_eq!(iin(&complete("0002295001")).birth_date, date(2000, 2, 29));
    assert_eq!(BinIin::parse(&complete("0102295001")).unwrap().kind(), None);
    // 1900 was not a leap year.
    assert_eq!(BinIin::parse(&complete("0002293001")).unwrap().kind(), None);
}

#[test]
fn decoded_parts_serialize_in_snake_case() {
    let v = serde_json::to_value(bin("940140000385")).unwrap();
    assert_eq!(v["entity_type"], "resident_legal_entity");
    assert_eq!(v["office"], "head_office");
    let v = serde_json::to_value(iin("061211600012")).unwrap();
    assert_eq!(v["sex"], "female");
    assert_eq!(v["birth_date"], "2006-12-11");
}

// ---- The public check ----

#[test]
fn report_of_a_valid_bin_lists_its_parts_and_skips_the_rest() {
    let v = serde_json::to_value(report("940140000385")).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "number": "940140000385",
            "valid": true,
            "kind": "bin",
            "registration_year": 1994,
            "registration_month": 1,
            "entity_type": "resident_legal_entity",
            "office": "head_office",
        })
    );
}

#[test]
fn report_of_a_valid_iin_lists_birth_date_century_and_sex() {
    let v = serde_json::to_value(report("061211600012")).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "number": "061211600012",
            "valid": true,
            "kind": "iin",
            "birth_date": "2006-12-11",
            "century": 2000,
            "sex": "female",
        })
    );
}

#[test]
fn report_of_a_bad_check_digit_is_invalid_but_still_decoded() {
    let r = report("181240006528");
    assert!(!r.valid);
    assert_eq!(r.error, Some("bin_iin.checksum"));
    assert_eq!(r.kind, Some(IdKind::Bin));
    assert_eq!(r.registration_year, Some(2018));
    assert_eq!(r.registration_month, Some(12));
}

#[test]
fn report_of_non_digits_is_a_format_error_with_nothing_decoded() {
    for s in ["abc", "94014000038X", "", "9401400003851"] {
        let r = report(s);
        assert!(!r.valid);
        assert_eq!(r.error, Some("bin_iin.format"), "{s:?}");
        assert_eq!(r.kind, None);
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 3, "only number, valid, error: {v}");
    }
}

// ---- Properties ----

fn eleven_digits() -> impl Strategy<Value = [u8; 11]> {
    proptest::array::uniform11(0u8..=9)
}

proptest! {
    #[test]
    fn appending_the_check_digit_parses_and_any_other_last_digit_is_a_checksum_error(
        d in eleven_digits()
    ) {
        let prefix = to_string(&d);
        match check_digit(&d) {
            Some(c) => {
                prop_assert!(c <= 9);
                for last in 0..=9u8 {
                    let parsed = BinIin::parse(&format!("{prefix}{last}"));
                    if last == c {
                        prop_assert!(parsed.is_ok());
                    } else {
                        prop_assert_eq!(parsed, Err(IdError::Checksum));
                    }
                }
            }
            None => {
                for last in 0..=9u8 {
                    prop_assert_eq!(
                        BinIin::parse(&format!("{prefix}{last}")),
                        Err(IdError::NoCheckDigit)
                    );
                }
            }
        }
    }

    #[test]
    fn a_typo_in_digits_1_to_10_is_caught_when_the_first_pass_decides_both_numbers(
        d in eleven_digits(), pos in 0usize..10, new in 0u8..=9
    ) {
        prop_assume!(d[pos] != new);
        let mut typo = d;
        typo[pos] = new;
        prop_assume!(first_pass(&d) != 10 && first_pass(&typo) != 10);
        let c = check_digit(&d).unwrap();
        prop_assert_eq!(
            BinIin::parse(&format!("{}{c}", to_string(&typo))),
            Err(IdError::Checksum)
        );
    }

    #[test]
    fn digit_11_has_first_pass_weight_zero_so_its_typos_need_the_second_pass_to_be_caught(
        d in eleven_digits(), new in 0u8..=9
    ) {
        prop_assume!(d[10] != new);
        let Some(c) = check_digit(&d) else { return Ok(()) };
        let mut typo = d;
        typo[10] = new;
        let parsed = BinIin::parse(&format!("{}{c}", to_string(&typo)));
        if first_pass(&d) == 10 {
            prop_assert!(parsed.is_err(), "second pass weighs digit 11 by 2");
        } else {
            prop_assert!(parsed.is_ok(), "first pass weighs digit 11 by 11 = 0 mod 11");
        }
    }

    #[test]
    fn swapping_adjacent_digits_is_caught_when_the_first_pass_decides_both_numbers(
        d in eleven_digits(), pos in 0usize..10
    ) {
        prop_assume!(d[pos] != d[pos + 1]);
        let mut swapped = d;
        swapped.swap(pos, pos + 1);
        prop_assume!(first_pass(&d) != 10 && first_pass(&swapped) != 10);
        let c = check_digit(&d).unwrap();
        let parsed = BinIin::parse(&format!("{}{c}", to_string(&swapped)));
        prop_assert!(parsed.is_err());
    }

    #[test]
    fn digit_5_alone_selects_the_layout_so_no_number_is_both_bin_and_iin(
        d in eleven_digits()
    ) {
        let Some(c) = check_digit(&d) else { return Ok(()) };
        let id = BinIin::parse(&format!("{}{c}", to_string(&d))).unwrap();
        match id.kind() {
            Some(IdKind::Bin) => prop_assert!((4..=6).contains(&d[4])),
            Some(IdKind::Iin) => prop_assert!(d[4] <= 3 && (1..=6).contains(&d[6])),
            None => {}
        }
        prop_assert_eq!(id.kind(), report(id.as_str()).kind);
    }

    #[test]
    fn valid_numbers_round_trip_through_display_and_serde(d in eleven_digits()) {
        let Some(c) = check_digit(&d) else { return Ok(()) };
        let id = BinIin::parse(&format!("{}{c}", to_string(&d))).unwrap();
        prop_assert_eq!(BinIin::parse(&id.to_string()).unwrap(), id.clone());
        let json = serde_json::to_string(&id).unwrap();
        prop_assert_eq!(serde_json::from_str::<BinIin>(&json).unwrap(), id.clone());
        let r = report(id.as_str());
        prop_assert!(r.valid);
        prop_assert_eq!(r.error, None);
    }

    #[test]
    fn report_never_panics_and_agrees_with_parse(s in "\\PC{0,16}") {
        let r = report(&s);
        match BinIin::parse(&s) {
            Ok(_) => prop_assert!(r.valid && r.error.is_none()),
            Err(e) => prop_assert_eq!(r.error, Some(e.code())),
        }
    }
}
