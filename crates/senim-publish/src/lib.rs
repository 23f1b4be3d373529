//! # Editions of a List, and how anyone can check them
//!
//! Rules §7 has a body post its List in the form of Annex 2 and post each updated edition. Senim makes
//! every edition an immutable, signed snapshot that a reader can verify with nothing but
//! `shared/design/edition-format.md` (`senim-edition/1`), SHA-256 and Ed25519:
//!
//! | step | module |
//! |---|---|
//! | canonical JSON bytes (RFC 8785) | [`jcs`] |
//! | Merkle tree over the entries, inclusion proofs (RFC 9162 §2.1) | [`merkle`] |
//! | signing keys and the public key list | [`keys`] |
//! | manifest, signature, edition JSON, proof objects | [`manifest`] |
//! | Annex 2 as CSV, HTML, XLSX and PDF per language | [`render`] |
//! | building and signing an edition | [`edition`] |
//! | checking editions, files, proofs and the chain | [`verify`] |
//! | Atom feed, Data Package and DCAT descriptors for open-data harvesters | [`opendata`] |
//!
//! Nothing here does I/O: the caller stores and serves what [`edition::build`] returns.

pub mod edition;
pub mod jcs;
pub mod keys;
pub mod manifest;
pub mod merkle;
pub mod opendata;
pub mod render;
pub mod verify;
