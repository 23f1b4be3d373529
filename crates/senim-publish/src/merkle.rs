//! The Merkle tree of RFC 9162 §2.1 (Certificate Transparency v2) over an edition's entries.
//!
//! One root in the signed manifest commits to every entry, and an inclusion proof of about log2(n)
//! hashes lets anyone check that a single entry was in the edition without downloading the rest
//! (`edition-format.md`, "Hashing"). Leaf and interior hashes use distinct prefixes (0x00, 0x01) so that
//! an interior node can never be passed off as a leaf.

use sha2::{Digest, Sha256};

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// §2.1.1: the hash of a leaf, `SHA-256(0x00 ‖ data)`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(data);
    h.finalize().into()
}

/// §2.1.1: the hash of an interior node, `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// §2.1.1: the Merkle Tree Hash of a list of leaf hashes; `SHA-256("")` for the empty list.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => leaves[0],
        n => {
            let k = split_point(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// §2.1.3.1: the audit path of the leaf at `index`, nearest sibling first; `None` when `index` is
/// outside the tree.
pub fn inclusion_proof(leaves: &[Hash], index: usize) -> Option<Vec<Hash>> {
    if index >= leaves.len() {
        return None;
    }
    let mut path = Vec::new();
    collect_path(leaves, index, &mut path);
    Some(path)
}

/// PATH(m, D[n]) of §2.1.3.1. The sub-path is pushed before the other subtree's hash, so `path` runs
/// from the leaf's nearest sibling up to the root's other child, the order verifiers consume.
fn collect_path(leaves: &[Hash], m: usize, path: &mut Vec<Hash>) {
    let n = leaves.len();
    if n <= 1 {
        return;
    }
    let k = split_point(n);
    if m < k {
        collect_path(&leaves[..k], m, path);
        path.push(root(&leaves[k..]));
    } else {
        collect_path(&leaves[k..], m - k, path);
        path.push(root(&leaves[..k]));
    }
}

/// A tree that keeps the hash of every complete, aligned block of 2^j leaves, so that a root or an
/// inclusion proof costs O(log² n) lookups and hashes instead of rehashing every leaf: the entry pages of
/// a List of 100,000 entries each ask for a proof. §2.1.1 only ever splits a range at a power of two,
/// so each left part it hashes is such a block; the rest is computed as [`root`] would.
pub struct Tree {
    /// `levels[j][i]`: the hash of leaves `i·2^j .. (i+1)·2^j`; `levels[0]` are the leaves.
    levels: Vec<Vec<Hash>>,
}

impl Tree {
    pub fn new(leaves: Vec<Hash>) -> Tree {
        let mut levels = vec![leaves];
        while let Some(last) = levels.last().filter(|l| l.len() >= 2) {
            let next = last.chunks_exact(2).map(|pair| node_hash(&pair[0], &pair[1])).collect();
            levels.push(next);
        }
        Tree { levels }
    }

    pub fn len(&self) -> usize {
        self.levels[0].len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The same as [`root`] of the leaves.
    pub fn root(&self) -> Hash {
        self.hash(0, self.len())
    }

    /// The same as [`inclusion_proof`] of the leaves.
    pub fn inclusion_proof(&self, index: usize) -> Option<Vec<Hash>> {
        if index >= self.len() {
            return None;
        }
        let mut path = Vec::new();
        self.collect_path(0, self.len(), index, &mut path);
        Some(path)
    }

    /// MTH of leaves `start .. start + n`.
    fn hash(&self, start: usize, n: usize) -> Hash {
        match n {
            0 => Sha256::digest([]).into(),
            _ if n.is_power_of_two() && start.is_multiple_of(n) => self.levels[n.trailing_zeros() as usize][start / n],
            _ => {
                let k = split_point(n);
                node_hash(&self.hash(start, k), &self.hash(start + k, n - k))
            }
        }
    }

    /// [`collect_path`] over leaves `start .. start + n`, for the leaf `m` of that range.
    fn collect_path(&self, start: usize, n: usize, m: usize, path: &mut Vec<Hash>) {
        if n <= 1 {
            return;
        }
        let k = split_point(n);
        if m < k {
            self.collect_path(start, k, m, path);
            path.push(self.hash(start + k, n - k));
        } else {
            self.collect_path(start + k, n - k, m - k, path);
            path.push(self.hash(start, k));
        }
    }
}

/// The largest power of two smaller than `n` (for `n > 1`): where §2.1.1 splits a list.
fn split_point(n: usize) -> usize {
    debug_assert!(n > 1);
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// §2.1.3.2: does `path` prove that `leaf` (a leaf hash) sits at `index` in the tree of `tree_size`
/// leaves whose root is `root`?
///
/// This is the RFC's algorithm step by step, rather than a recomputation through [`inclusion_proof`],
/// so that it also serves as the reference a third-party verifier can compare against.
pub fn verify_inclusion(leaf: &Hash, index: u64, tree_size: u64, path: &[Hash], root: &Hash) -> bool {
    // Step 1.
    if index >= tree_size {
        return false;
    }
    // Steps 2 and 3.
    let mut fnode = index;
    let mut snode = tree_size - 1;
    let mut r = *leaf;
    // Step 4.
    for p in path {
        if snode == 0 {
            return false;
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    // Step 5.
    snode == 0 && r == *root
}
