//! Loading a document with every stream measured before `lopdf` may inflate it.
//!
//! `lopdf` inflates object streams while it loads a file, and both readers inflate content streams and
//! form XObjects later, each with an unbounded `read_to_end`. `lopdf` hands every object to a filter
//! function before it unpacks an object stream; [`load`] uses that hook to decode each stream with a
//! capped decoder first (the filters `lopdf` implements: Flate with its raw-deflate fallback, LZW,
//! ASCII85, and their chains). A stream over the limit is emptied and the load reported as exceeded,
//! so nothing downstream inflates it. Image data is emptied unread: neither the intake check nor the
//! text layer needs it, and `pdf-extract` would otherwise inflate an image drawn with `Do` and parse it
//! as drawing operations.
//!
//! What this hook does not see — a cross-reference stream (read before objects), or objects `lopdf`
//! finds only by its repair scan — is bounded by the worker process's address-space limit instead.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{Read, Write};

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, Stream};

use crate::limits::{Exceeded, Limits};

/// A loaded document and the decoded size of each of its streams, as measured.
pub struct Loaded {
    pub doc: Document,
    pub decoded: HashMap<ObjectId, u64>,
}

/// Why a document did not load.
#[derive(Debug)]
pub enum LoadError {
    Exceeded(Exceeded),
    Parse(lopdf::Error),
}

/// Loads `bytes` within `limits`.
pub fn load(bytes: &[u8], limits: &Limits) -> Result<Loaded, LoadError> {
    BUDGET.with_borrow_mut(|b| *b = Some(Budget::new(*limits)));
    // Reset even if lopdf panics (the fuzz target and the tests call this in-process).
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            BUDGET.with_borrow_mut(|b| *b = None);
        }
    }
    let _reset = Reset;
    let doc = Document::load_mem_with_options(bytes, LoadOptions { filter: Some(measure), ..LoadOptions::default() });
    let budget = BUDGET.with_borrow_mut(Option::take).expect("set above");
    if let Some(e) = budget.exceeded {
        return Err(LoadError::Exceeded(e));
    }
    Ok(Loaded { doc: doc.map_err(LoadError::Parse)?, decoded: budget.decoded })
}

struct Budget {
    limits: Limits,
    used: u64,
    decoded: HashMap<ObjectId, u64>,
    exceeded: Option<Exceeded>,
}

impl Budget {
    fn new(limits: Limits) -> Self {
        Budget { limits, used: 0, decoded: HashMap::new(), exceeded: None }
    }

    fn account(&mut self, id: ObjectId, stream: &mut Stream) {
        if self.exceeded.is_some() || is_image(&stream.dict) {
            empty(stream);
            return;
        }
        let room = self.limits.max_file_bytes.saturating_sub(self.used);
        let cap = self.limits.max_stream_bytes.min(room);
        match decoded_len(stream, cap) {
            Some(n) => {
                self.used += n;
                self.decoded.insert(id, n);
            }
            None => {
                self.exceeded =
                    Some(if cap < self.limits.max_stream_bytes { Exceeded::File } else { Exceeded::Stream(id.0) });
                empty(stream);
            }
        }
    }
}

thread_local! {
    /// The budget of the load running on this thread (lopdf's filter is a plain `fn`).
    static BUDGET: RefCell<Option<Budget>> = const { RefCell::new(None) };
}

/// lopdf's filter: measures streams. lopdf keeps the object it passed by reference for an object of the
/// file itself, and the returned one only for objects inside object streams, which are never streams.
fn measure(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    if let Object::Stream(stream) = object {
        BUDGET.with_borrow_mut(|b| {
            if let Some(b) = b {
                b.account(id, stream);
            }
        });
        return Some((id, Object::Null));
    }
    Some((id, object.clone()))
}

fn is_image(dict: &Dictionary) -> bool {
    dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Image")
}

fn empty(stream: &mut Stream) {
    stream.dict.remove(b"Filter");
    stream.dict.remove(b"DecodeParms");
    stream.set_content(Vec::new());
}

/// What `stream` decodes to as lopdf decodes it, if that is at most `cap` bytes; `None` if more.
pub fn decoded_len(stream: &Stream, cap: u64) -> Option<u64> {
    let raw = stream.content.len() as u64;
    let Ok(filters) = stream.filters() else {
        // No filter: lopdf uses the bytes as they are.
        return (raw <= cap).then_some(raw);
    };
    let params = stream.dict.get(b"DecodeParms").and_then(Object::as_dict).ok();
    if predictor_row(params).is_some_and(|row| row > cap) {
        return None;
    }
    let mut data = stream.content.clone();
    for filter in filters {
        data = match filter {
            b"FlateDecode" => inflate(&data, cap)?,
            b"LZWDecode" => unlzw(&data, cap, early_change(params))?,
            b"ASCII85Decode" => un_ascii85(&data, cap)?,
            // lopdf fails on any other filter, and the readers then use the raw bytes.
            _ => return (raw <= cap).then_some(raw),
        };
    }
    Some(data.len() as u64)
}

/// The row length a PNG predictor would allocate (`Columns × Colors × BitsPerComponent / 8`).
fn predictor_row(params: Option<&Dictionary>) -> Option<u64> {
    let p = params?;
    let int = |k: &[u8], d: i64| p.get(k).and_then(Object::as_i64).unwrap_or(d).max(1) as u64;
    if !(10..=15).contains(&p.get(b"Predictor").and_then(Object::as_i64).unwrap_or(1)) {
        return None;
    }
    Some(int(b"Columns", 1).saturating_mul(int(b"Colors", 1)).saturating_mul(int(b"BitsPerComponent", 8).max(8)) / 8)
}

fn early_change(params: Option<&Dictionary>) -> bool {
    params.and_then(|p| p.get(b"EarlyChange").ok()).and_then(|o| o.as_i64().ok()).is_none_or(|v| v != 0)
}

/// zlib, and raw deflate after the two header bytes when zlib yields nothing (lopdf's fallback).
fn inflate(input: &[u8], cap: u64) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    if input.is_empty() {
        return Some(out);
    }
    let zlib = flate2::read::ZlibDecoder::new(input).take(cap + 1).read_to_end(&mut out);
    if zlib.is_err() && out.is_empty() && input.len() > 2 {
        let _ = flate2::read::DeflateDecoder::new(&input[2..]).take(cap + 1).read_to_end(&mut out);
    }
    (out.len() as u64 <= cap).then_some(out)
}

fn unlzw(input: &[u8], cap: u64, early_change: bool) -> Option<Vec<u8>> {
    use weezl::{BitOrder, decode::Decoder};
    let mut decoder =
        if early_change { Decoder::with_tiff_size_switch(BitOrder::Msb, 8) } else { Decoder::new(BitOrder::Msb, 8) };
    let mut out = Capped { buf: Vec::new(), cap, over: false };
    // A decoding error keeps what was decoded, as lopdf does.
    let _ = decoder.into_stream(&mut out).decode_all(input);
    (!out.over).then_some(out.buf)
}

/// ASCII85 at most quadruples (`z` is four zero bytes): sized exactly before lopdf decodes it.
fn un_ascii85(input: &[u8], cap: u64) -> Option<Vec<u8>> {
    let (mut len, mut group) = (0u64, 0u64);
    let body = input.strip_suffix(b"~>").unwrap_or(input);
    for &c in body {
        match c {
            b'z' if group == 0 => len += 4,
            c if c.is_ascii_whitespace() => {}
            b'!'..=b'u' => {
                group += 1;
                if group == 5 {
                    len += 4;
                    group = 0;
                }
            }
            _ => break,
        }
    }
    if len + group.saturating_sub(1) > cap {
        return None;
    }
    let mut dict = Dictionary::new();
    dict.set("Filter", Object::Name(b"ASCII85Decode".to_vec()));
    Some(Stream::new(dict, input.to_vec()).decompressed_content().unwrap_or_else(|_| input.to_vec()))
}

/// A buffer that refuses to grow past its cap.
struct Capped {
    buf: Vec<u8>,
    cap: u64,
    over: bool,
}

impl Write for Capped {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() as u64 + b.len() as u64 > self.cap {
            self.over = true;
            return Err(std::io::Error::other("over the cap"));
        }
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw;

    fn flate_stream(data: &[u8]) -> Stream {
        let mut dict = Dictionary::new();
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        Stream::new(dict, raw::deflate(data))
    }

    #[test]
    fn a_stream_is_measured_as_it_decodes_and_refused_past_the_cap() {
        let s = flate_stream(&[b'x'; 10_000]);
        assert_eq!(decoded_len(&s, 10_000), Some(10_000));
        assert_eq!(decoded_len(&s, 9_999), None);
    }

    #[test]
    fn chained_filters_are_each_capped() {
        // ASCII85 of a Flate stream: the outer filter is small, the inner one large.
        let inner = raw::deflate(&[0u8; 50_000]);
        let mut dict = Dictionary::new();
        dict.set(
            "Filter",
            Object::Array(vec![Object::Name(b"ASCII85Decode".to_vec()), Object::Name(b"FlateDecode".to_vec())]),
        );
        let s = Stream::new(dict, raw::ascii85(&inner));
        assert_eq!(decoded_len(&s, 50_000), Some(50_000));
        assert_eq!(decoded_len(&s, 49_999), None);
    }

    #[test]
    fn lzw_is_capped() {
        let data = vec![b'a'; 20_000];
        let mut enc = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
        let packed = enc.encode(&data).unwrap();
        let mut dict = Dictionary::new();
        dict.set("Filter", Object::Name(b"LZWDecode".to_vec()));
        let s = Stream::new(dict, packed);
        assert_eq!(decoded_len(&s, 20_000), Some(20_000));
        assert_eq!(decoded_len(&s, 19_999), None);
    }

    #[test]
    fn a_predictor_row_larger_than_the_cap_is_refused_before_decoding() {
        let mut s = flate_stream(b"tiny");
        let mut params = Dictionary::new();
        params.set("Predictor", 12i64);
        params.set("Columns", 1_000_000_000i64);
        params.set("Colors", 1_000_000i64);
        s.dict.set("DecodeParms", params);
        assert_eq!(decoded_len(&s, 64 << 20), None);
    }

    #[test]
    fn an_object_stream_bomb_is_not_inflated_by_the_load() {
        let bomb = raw::object_stream_bomb(300 << 20);
        let limits = Limits { max_stream_bytes: 16 << 20, ..Limits::DEFAULT };
        match load(&bomb, &limits) {
            Err(LoadError::Exceeded(Exceeded::Stream(_))) => {}
            Err(e) => panic!("{e:?}"),
            Ok(_) => panic!("the bomb loaded"),
        }
    }

    #[test]
    fn streams_add_up_to_the_file_limit() {
        let mut pdf = raw::RawPdf::new();
        for _ in 0..4 {
            pdf.stream("/Filter /FlateDecode", &raw::deflate(&vec![b'q'; 1 << 20]));
        }
        let bytes = pdf.finish_with_one_page("");
        let limits = Limits { max_file_bytes: 3 << 20, ..Limits::DEFAULT };
        assert!(matches!(load(&bytes, &limits), Err(LoadError::Exceeded(Exceeded::File))));
        assert!(load(&bytes, &Limits::DEFAULT).is_ok());
    }
}
