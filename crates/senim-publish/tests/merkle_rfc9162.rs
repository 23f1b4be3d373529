//! RFC 9162 §2.1 conformance of `merkle`, with the Certificate Transparency test vectors.

use proptest::prelude::*;
use senim_publish::merkle::{Hash, inclusion_proof, leaf_hash, node_hash, root, verify_inclusion};

/// The eight leaf inputs of the Certificate Transparency reference tests.
fn ct_leaves() -> Vec<Hash> {
    ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
        .iter()
        .map(|h| leaf_hash(&hex::decode(h).unwrap()))
        .collect()
}

fn h(text: &str) -> Hash {
    hex::decode(text).unwrap().try_into().unwrap()
}

#[test]
fn roots_of_the_ct_vectors() {
    let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    let leaves = ct_leaves();
    for (size, expected) in roots.iter().enumerate() {
        assert_eq!(hex::encode(root(&leaves[..size])), *expected, "tree size {size}");
    }
}

#[test]
fn inclusion_proofs_of_the_ct_vectors() {
    let leaves = ct_leaves();
    // (leaf index, tree size, audit path), from the CT reference tests.
    let cases: [(usize, usize, Vec<&str>); 5] = [
        (0, 1, vec![]),
        (
            0,
            8,
            vec![
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            5,
            8,
            vec![
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (2, 3, vec!["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (
            1,
            5,
            vec![
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
    ];
    for (index, size, expected) in cases {
        let tree = &leaves[..size];
        let path = inclusion_proof(tree, index).unwrap();
        let expected: Vec<Hash> = expected.into_iter().map(h).collect();
        assert_eq!(path, expected, "leaf {index} of {size}");
        assert!(verify_inclusion(&leaves[index], index as u64, size as u64, &path, &root(tree)));
    }
}

#[test]
fn hashes_are_domain_separated() {
    // RFC 9162 §2.1.1: a leaf is SHA-256(0x00 ‖ d), a node SHA-256(0x01 ‖ l ‖ r).
    assert_eq!(hex::encode(leaf_hash(b"")), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    let l = leaf_hash(b"a");
    let r = leaf_hash(b"b");
    let mut concat = l.to_vec();
    concat.extend_from_slice(&r);
    assert_ne!(node_hash(&l, &r), leaf_hash(&concat));
}

#[test]
fn out_of_range_requests_are_refused() {
    let leaves = ct_leaves();
    assert_eq!(inclusion_proof(&leaves, 8), None);
    assert_eq!(inclusion_proof(&[], 0), None);
    let r = root(&leaves);
    assert!(!verify_inclusion(&leaves[0], 8, 8, &[], &r));
    assert!(!verify_inclusion(&leaves[0], 0, 0, &[], &r));
    // A path that is too long for the tree size fails rather than running on.
    let path = inclusion_proof(&leaves, 0).unwrap();
    let mut longer = path.clone();
    longer.push(leaves[1]);
    assert!(!verify_inclusion(&leaves[0], 0, 8, &longer, &r));
    assert!(!verify_inclusion(&leaves[0], 0, 8, &path[..2], &r));
}

fn tree_of(size: usize, salt: u8) -> Vec<Hash> {
    (0..size).map(|i| leaf_hash(&[salt, i as u8, (i >> 8) as u8])).collect()
}

proptest! {
    /// In every tree of 1..=40 leaves, every leaf's proof verifies, and fails when the index, the leaf
    /// or any single path element is changed. (The tree size alone is not bound by a proof: sizes 5
    /// and 6 give leaf 0 the same path; the signed manifest binds it instead.)
    #[test]
    fn every_proof_verifies_and_no_altered_one_does(size in 1usize..=40, salt in any::<u8>(), flip in any::<u8>()) {
        let leaves = tree_of(size, salt);
        let r = root(&leaves);
        let bit = 1u8 << (flip % 8);
        for index in 0..size {
            let path = inclusion_proof(&leaves, index).unwrap();
            let (i, n) = (index as u64, size as u64);
            prop_assert!(verify_inclusion(&leaves[index], i, n, &path, &r));
            for other in 0..size as u64 {
                if other != i {
                    prop_assert!(!verify_inclusion(&leaves[index], other, n, &path, &r), "index {} as {}", i, other);
                }
            }
            let mut leaf = leaves[index];
            leaf[usize::from(flip) % 32] ^= bit;
            prop_assert!(!verify_inclusion(&leaf, i, n, &path, &r));
            for k in 0..path.len() {
                let mut altered = path.clone();
                altered[k][usize::from(flip) % 32] ^= bit;
                prop_assert!(!verify_inclusion(&leaves[index], i, n, &altered, &r));
            }
        }
    }
}

/// The tree that keeps its complete blocks (used for the entry pages' proofs) agrees with the plain
/// recursive definition for every size up to 70 and every leaf, and with the CT vectors' roots.
#[test]
fn the_kept_tree_gives_the_same_roots_and_proofs() {
    use senim_publish::merkle::Tree;
    for n in 0..=70usize {
        let leaves: Vec<Hash> = (0..n).map(|i| leaf_hash(format!("entry {i}").as_bytes())).collect();
        let tree = Tree::new(leaves.clone());
        assert_eq!(tree.len(), n);
        assert_eq!(tree.root(), root(&leaves), "root of {n}");
        for i in 0..n {
            let path = tree.inclusion_proof(i).unwrap();
            assert_eq!(Some(path.clone()), inclusion_proof(&leaves, i), "proof of {i} in {n}");
            assert!(verify_inclusion(&leaves[i], i as u64, n as u64, &path, &tree.root()));
        }
        assert_eq!(tree.inclusion_proof(n), None);
    }
    let ct = ct_leaves();
    assert_eq!(hex::encode(Tree::new(ct.clone()).root()), hex::encode(root(&ct)));
}
