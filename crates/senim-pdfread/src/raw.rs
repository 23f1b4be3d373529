//! Small PDFs written object by object: the demo's sample documents and every test fixture, including
//! the hostile ones the readers must survive (a form that draws itself, streams that inflate a
//! thousandfold, active content). One writer, so that each fixture says only what is special about it.

use std::io::Write;

/// A PDF being written: numbered objects, then the cross-reference table and trailer.
#[derive(Debug, Default)]
pub struct RawPdf {
    objects: Vec<Vec<u8>>,
    /// Prepended before `%PDF-` (a BOM, an HTML page…), for intake tests.
    prefix: Vec<u8>,
    /// Extra trailer entries (`/Encrypt 4 0 R /ID [...]`), for intake tests.
    trailer: String,
}

impl RawPdf {
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes before the header.
    pub fn prefix(mut self, bytes: &[u8]) -> Self {
        self.prefix = bytes.to_vec();
        self
    }

    /// Extra entries of the trailer dictionary.
    pub fn trailer(mut self, entries: &str) -> Self {
        self.trailer = entries.to_owned();
        self
    }

    /// Adds an object (its body, without `N 0 obj`): its number.
    pub fn add(&mut self, body: impl AsRef<[u8]>) -> u32 {
        self.objects.push(body.as_ref().to_vec());
        self.objects.len() as u32
    }

    /// Reserves an object number, to be filled with [`RawPdf::set`] (objects that refer to each other).
    pub fn reserve(&mut self) -> u32 {
        self.add(b"null")
    }

    pub fn set(&mut self, n: u32, body: impl AsRef<[u8]>) {
        self.objects[n as usize - 1] = body.as_ref().to_vec();
    }

    /// Adds a stream with `dict` (the entries besides `/Length`) and `data` as it is stored.
    pub fn stream(&mut self, dict: &str, data: &[u8]) -> u32 {
        let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.add(body)
    }

    /// The catalog and page tree around `pages` (page objects already added), then the file.
    pub fn finish(mut self, pages: &[u32], catalog_extra: &str) -> Vec<u8> {
        let tree = self.reserve();
        let kids: Vec<String> = pages.iter().map(|p| format!("{p} 0 R")).collect();
        self.set(tree, format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()));
        for &p in pages {
            let page = String::from_utf8_lossy(&self.objects[p as usize - 1])
                .replace("/Parent ?", &format!("/Parent {tree} 0 R"));
            self.set(p, page);
        }
        let root = self.add(format!("<< /Type /Catalog /Pages {tree} 0 R {catalog_extra} >>"));
        self.write(root)
    }

    /// One page whose content is `content` (uncompressed) with Helvetica as `/F1`: the file.
    pub fn finish_with_one_page(mut self, content: &str) -> Vec<u8> {
        let page = self.page(content, "");
        self.finish(&[page], "")
    }

    /// Adds a page object drawing `content`, with `/F1` and the extra resources given (`/XObject << … >>`).
    pub fn page(&mut self, content: &str, resources: &str) -> u32 {
        let font = self.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        let contents = self.stream("", content.as_bytes());
        self.add(format!(
            "<< /Type /Page /Parent ? /MediaBox [0 0 612 792] /Contents {contents} 0 R \
             /Resources << /Font << /F1 {font} 0 R >> {resources} >> >>"
        ))
    }

    /// Offsets count from the header, as readers that allow bytes before it do.
    fn write(self, root: u32) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(o);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", self.objects.len() + 1).as_bytes());
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root {root} 0 R {}>>\nstartxref\n{xref}\n%%EOF\n",
                self.objects.len() + 1,
                self.trailer
            )
            .as_bytes(),
        );
        let mut file = self.prefix;
        file.extend_from_slice(&out);
        file
    }
}

/// A one-page PDF showing `title` in Helvetica (the demo's attachments; ASCII titles read back exactly).
pub fn text_page(title: &str) -> Vec<u8> {
    RawPdf::new().finish_with_one_page(&format!("BT /F1 14 Tf 72 720 Td ({title}) Tj ET"))
}

/// zlib-compressed `data`.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).expect("writing to memory");
    e.finish().expect("writing to memory")
}

/// `n` zero bytes, zlib-compressed without ever holding them (a 300 MB bomb is about 300 KB).
pub fn deflate_zeros(n: u64) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![0u8; 1 << 16];
    let mut left = n;
    while left > 0 {
        let k = left.min(chunk.len() as u64) as usize;
        e.write_all(&chunk[..k]).expect("writing to memory");
        left -= k as u64;
    }
    e.finish().expect("writing to memory")
}

/// ASCII85 of `data` (for filter chains in tests).
pub fn ascii85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for group in data.chunks(4) {
        let mut b = [0u8; 4];
        b[..group.len()].copy_from_slice(group);
        let mut v = u32::from_be_bytes(b);
        let mut digits = [0u8; 5];
        for d in digits.iter_mut().rev() {
            *d = (v % 85) as u8 + b'!';
            v /= 85;
        }
        out.extend_from_slice(&digits[..group.len() + 1]);
    }
    out.extend_from_slice(b"~>");
    out
}

/// A valid one-page PDF with an object stream that inflates to `inflated` zero bytes.
pub fn object_stream_bomb(inflated: u64) -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", &deflate_zeros(inflated));
    pdf.finish_with_one_page("BT /F1 12 Tf 72 720 Td (bomb) Tj ET")
}

/// A valid one-page PDF whose content stream inflates to `inflated` bytes of spaces.
pub fn content_stream_bomb(inflated: u64) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b' '; 1 << 16];
    let mut left = inflated;
    while left > 0 {
        let k = left.min(chunk.len() as u64) as usize;
        e.write_all(&chunk[..k]).expect("writing to memory");
        left -= k as u64;
    }
    let data = e.finish().expect("writing to memory");
    let mut pdf = RawPdf::new();
    let font = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    let contents = pdf.stream("/Filter /FlateDecode", &data);
    let page = pdf.add(format!(
        "<< /Type /Page /Parent ? /MediaBox [0 0 612 792] /Contents {contents} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>"
    ));
    pdf.finish(&[page], "")
}

/// A one-page PDF whose page draws form XObject `/X1`, which draws itself (issue 16, finding 1).
pub fn self_drawing_form() -> Vec<u8> {
    let mut pdf = RawPdf::new();
    let form = pdf.reserve();
    pdf.set(form, {
        let content = "BT /F1 12 Tf 72 700 Td (loop) Tj ET /X1 Do";
        format!(
            "<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X1 {form} 0 R >> >> \
             /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        )
    });
    let page = pdf.page("/X1 Do", &format!("/XObject << /X1 {form} 0 R >>"));
    pdf.finish(&[page], "")
}

/// A one-page PDF drawing a chain of `depth` forms, each drawing the next `fanout` times.
pub fn nested_forms(depth: usize, fanout: usize) -> Vec<u8> {
    let mut pdf = RawPdf::new();
    let mut next: Option<u32> = None;
    for _ in 0..depth {
        let (content, resources) = match next {
            Some(n) => (vec!["/N Do"; fanout].join(" "), format!("/Resources << /XObject << /N {n} 0 R >> >>")),
            None => ("0 0 m 1 1 l S".to_owned(), String::new()),
        };
        next = Some(
            pdf.stream(&format!("/Type /XObject /Subtype /Form /BBox [0 0 10 10] {resources}"), content.as_bytes()),
        );
    }
    let first = next.expect("depth is at least 1");
    let page = pdf.page("/N Do", &format!("/XObject << /N {first} 0 R >>"));
    pdf.finish(&[page], "")
}
