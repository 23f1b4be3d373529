//! The editions of a body form a hash chain: each manifest records SHA-256(JCS(previous manifest)).

mod common;

use common::*;
use senim_publish::edition::{Edition, sign};
use senim_publish::manifest::{Manifest, PreviousRef};
use senim_publish::verify::{VerifyError, verify_chain, verify_signed_manifest};

fn link(edition: &Edition) -> Option<PreviousRef> {
    let m = &edition.signed.manifest;
    Some(PreviousRef { edition: m.edition, manifest_sha256: m.sha256_hex() })
}

fn three_editions() -> Vec<Edition> {
    let first = build_edition(1, None, vec![entry_of_company()]);
    let second = build_edition(2, link(&first), vec![entry_of_company(), entry_of_person()]);
    let third = build_edition(3, link(&second), entries());
    vec![first, second, third]
}

fn manifests(editions: &[Edition]) -> Vec<Manifest> {
    editions.iter().map(|e| e.signed.manifest.clone()).collect()
}

#[test]
fn a_chain_of_three_editions_verifies() {
    let editions = three_editions();
    for edition in &editions {
        verify_signed_manifest(&edition.signed, &keys()).unwrap();
    }
    verify_chain(&manifests(&editions)).unwrap();
    verify_chain(&[]).unwrap();
    let m = manifests(&editions);
    assert_eq!(m[2].previous.as_ref().unwrap().manifest_sha256, m[1].sha256_hex());
    assert_eq!(m[1].sha256_hex().len(), 64);
}

#[test]
fn a_tampered_middle_edition_breaks_the_chain() {
    let editions = three_editions();
    let mut m = manifests(&editions);
    m[1].published_at = "2026-06-05T10:12:04+05:00".to_owned();
    assert_eq!(verify_chain(&m), Err(VerifyError::ChainHash { edition: 3, previous: 2 }));

    // Re-signing the altered manifest gives it a valid signature, but the chain still breaks.
    let resigned = sign(m[1].clone(), &key());
    verify_signed_manifest(&resigned, &keys()).unwrap();
    m[1] = resigned.manifest;
    assert_eq!(verify_chain(&m), Err(VerifyError::ChainHash { edition: 3, previous: 2 }));

    // The untouched manifest no longer verifies once its signed bytes change.
    let mut signed = editions[1].signed.clone();
    signed.manifest.changes.added.pop();
    assert!(matches!(verify_signed_manifest(&signed, &keys()), Err(VerifyError::BadSignature(_))));
}

#[test]
fn gaps_wrong_starts_and_other_bodies_are_refused() {
    let m = manifests(&three_editions());
    assert_eq!(verify_chain(&m[1..]), Err(VerifyError::ChainStart(2)));
    assert_eq!(verify_chain(&[m[0].clone(), m[2].clone()]), Err(VerifyError::ChainGap { previous: 1, found: 3 }));

    let mut first_with_link = m.clone();
    first_with_link[0].previous = link(&three_editions()[0]);
    assert_eq!(verify_chain(&first_with_link), Err(VerifyError::ChainLink { edition: 1, expected: None }));

    let mut unlinked = m.clone();
    unlinked[2].previous = None;
    assert_eq!(verify_chain(&unlinked), Err(VerifyError::ChainLink { edition: 3, expected: Some(2) }));

    let mut foreign = m.clone();
    foreign[1].body.code = "energy".to_owned();
    assert!(matches!(verify_chain(&foreign), Err(VerifyError::ChainBody { edition: 2, .. })));
}
