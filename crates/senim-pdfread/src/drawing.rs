//! The drawing of each page walked before `pdf-extract` executes it.
//!
//! `pdf-extract` executes a page's content and, at each `Do`, the named XObject's content with that
//! object's `/Resources` (or, without them, the resources it was drawn with), recursively and without
//! any bound: a form that draws itself overflows the stack. [`check`] follows the same resolution —
//! the name in the current resources' `/XObject`, the form's own resources or the inherited ones — and
//! refuses a cycle, nesting deeper than [`Limits::max_form_depth`], a page whose content streams decode
//! to more than [`Limits::max_page_content_bytes`], and more than [`Limits::max_operations`] operations
//! counted as they would be executed. Each content is decoded once; a form drawn a thousand times is
//! counted a thousand times but read once.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::limits::{Exceeded, Limits};
use crate::load::Loaded;

/// What one content stream does, for the walk: how many operations, and the names it draws, in order.
struct Summary {
    operations: u64,
    draws: Vec<Vec<u8>>,
}

fn summarise(content: &[u8]) -> Summary {
    // pdf-extract unwraps this decode (a failure is a panic in the worker, not here).
    let ops = Content::decode(content).map(|c| c.operations).unwrap_or_default();
    let draws = ops
        .iter()
        .filter(|op| op.operator == "Do")
        .filter_map(|op| op.operands.first().and_then(|o| o.as_name().ok()).map(<[u8]>::to_vec))
        .collect();
    Summary { operations: ops.len() as u64, draws }
}

struct Walk<'a> {
    loaded: &'a Loaded,
    limits: &'a Limits,
    operations: u64,
    forms: HashMap<ObjectId, Rc<Summary>>,
    stack: Vec<ObjectId>,
}

/// Walks every page's drawing within `limits`.
pub fn check(loaded: &Loaded, limits: &Limits) -> Result<(), Exceeded> {
    let doc = &loaded.doc;
    let mut walk = Walk { loaded, limits, operations: 0, forms: HashMap::new(), stack: Vec::new() };
    let empty = Dictionary::new();
    for (number, page_id) in doc.get_pages() {
        let Ok(page) = doc.get_dictionary(page_id) else { continue };
        let resources = inherited(doc, page, b"Resources")?.and_then(|o| o.as_dict().ok()).unwrap_or(&empty);
        let ids = doc.get_page_contents(page_id);
        let size: u64 = ids.iter().map(|id| loaded.decoded.get(id).copied().unwrap_or(0) + 1).sum();
        if size > limits.max_page_content_bytes {
            return Err(Exceeded::PageContent(number));
        }
        let content = doc.get_page_content(page_id).unwrap_or_default();
        walk.run(&summarise(&content), resources, 0)?;
    }
    Ok(())
}

impl<'a> Walk<'a> {
    fn run(&mut self, summary: &Summary, resources: &'a Dictionary, depth: usize) -> Result<(), Exceeded> {
        self.count(summary.operations)?;
        let doc = &self.loaded.doc;
        for name in &summary.draws {
            let Some((id, dict)) = xobject(doc, resources, name) else { continue };
            if self.stack.contains(&id) {
                return Err(Exceeded::FormCycle(id.0));
            }
            if depth + 1 > self.limits.max_form_depth {
                return Err(Exceeded::FormDepth);
            }
            let own = dict.get(b"Resources").ok().and_then(|o| deref(doc, o)).and_then(|o| o.as_dict().ok());
            let form = self.form(id)?;
            self.stack.push(id);
            self.run(&form, own.unwrap_or(resources), depth + 1)?;
            self.stack.pop();
        }
        Ok(())
    }

    fn count(&mut self, n: u64) -> Result<(), Exceeded> {
        self.operations = self.operations.saturating_add(n);
        if self.operations > self.limits.max_operations { Err(Exceeded::Operations) } else { Ok(()) }
    }

    fn form(&mut self, id: ObjectId) -> Result<Rc<Summary>, Exceeded> {
        if let Some(s) = self.forms.get(&id) {
            return Ok(s.clone());
        }
        if self.loaded.decoded.get(&id).copied().unwrap_or(0) > self.limits.max_page_content_bytes {
            return Err(Exceeded::Stream(id.0));
        }
        let content = match self.loaded.doc.get_object(id).and_then(Object::as_stream) {
            Ok(s) => s.decompressed_content().unwrap_or_else(|_| s.content.clone()),
            Err(_) => Vec::new(),
        };
        let s = Rc::new(summarise(&content));
        self.forms.insert(id, s.clone());
        Ok(s)
    }
}

/// The XObject `name` in `resources`, as pdf-extract resolves it: its id and dictionary.
fn xobject<'d>(doc: &'d Document, resources: &'d Dictionary, name: &[u8]) -> Option<(ObjectId, &'d Dictionary)> {
    let xobjects = deref(doc, resources.get(b"XObject").ok()?)?.as_dict().ok()?;
    let id = xobjects.get(name).ok()?.as_reference().ok()?;
    let stream = doc.get_object(id).ok()?.as_stream().ok()?;
    Some((id, &stream.dict))
}

fn deref<'d>(doc: &'d Document, o: &'d Object) -> Option<&'d Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        o => Some(o),
    }
}

/// A page attribute found on the page or up its `/Parent` chain (pdf-extract's `get_inherited`, which
/// recurses without end on a loop: refused here).
fn inherited<'d>(doc: &'d Document, page: &'d Dictionary, key: &[u8]) -> Result<Option<&'d Object>, Exceeded> {
    let mut seen = HashSet::new();
    let mut node = page;
    loop {
        if let Some(v) = node.get(key).ok().and_then(|o| deref(doc, o)) {
            return Ok(Some(v));
        }
        let Some(parent) = node.get(b"Parent").ok().and_then(|o| o.as_reference().ok()) else { return Ok(None) };
        if !seen.insert(parent) {
            return Err(Exceeded::PageTreeCycle);
        }
        let Ok(p) = doc.get_dictionary(parent) else { return Ok(None) };
        node = p;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load;
    use crate::raw;

    fn walk(bytes: &[u8], limits: &Limits) -> Result<(), Exceeded> {
        check(&load(bytes, limits).expect("loads"), limits)
    }

    #[test]
    fn a_form_that_draws_itself_is_a_cycle() {
        assert!(matches!(walk(&raw::self_drawing_form(), &Limits::DEFAULT), Err(Exceeded::FormCycle(_))));
    }

    #[test]
    fn forms_may_nest_up_to_the_depth_limit() {
        let limits = Limits { max_form_depth: 5, ..Limits::DEFAULT };
        assert_eq!(walk(&raw::nested_forms(5, 1), &limits), Ok(()));
        assert_eq!(walk(&raw::nested_forms(6, 1), &limits), Err(Exceeded::FormDepth));
    }

    #[test]
    fn operations_are_counted_as_executed_not_as_written() {
        // Ten forms each drawing the next four times: 4^9 draws of the last, about 350,000 operations
        // written in a few hundred bytes.
        let bomb = raw::nested_forms(10, 4);
        let limits = Limits { max_operations: 100_000, ..Limits::DEFAULT };
        assert_eq!(walk(&bomb, &limits), Err(Exceeded::Operations));
        assert_eq!(walk(&bomb, &Limits { max_operations: 2_000_000, ..Limits::DEFAULT }), Ok(()));
    }

    #[test]
    fn a_page_listing_its_content_many_times_is_measured_whole() {
        let mut pdf = raw::RawPdf::new();
        let content = pdf.stream("/Filter /FlateDecode", &raw::deflate(&vec![b' '; 1 << 20]));
        let refs = vec![format!("{content} 0 R"); 40].join(" ");
        let page = pdf.add(format!("<< /Type /Page /Parent ? /MediaBox [0 0 612 792] /Contents [{refs}] >>"));
        let bytes = pdf.finish(&[page], "");
        assert_eq!(walk(&bytes, &Limits::DEFAULT), Err(Exceeded::PageContent(1)));
    }

    #[test]
    fn an_ordinary_page_passes() {
        assert_eq!(walk(&raw::text_page("ok"), &Limits::DEFAULT), Ok(()));
    }
}
