//! One reader of the routes the application serves, for the tests that must visit or classify every
//! one of them (the authorisation matrix, XSS, personal data): page and API routes from the routers'
//! sources, API routes also from the generated OpenAPI document.

/// Where a route is served from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Surface {
    Pages,
    Api,
}

/// One method on one path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    pub surface: Surface,
    pub method: String,
    pub path: String,
}

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// `(METHOD, path)` of every `.route(…)` in a router's source: each method named inside the call's
/// own parentheses.
fn routes_in(source: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for chunk in source.split(".route(").skip(1) {
        let mut depth = 1;
        let end = chunk
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(chunk.len(), |(i, _)| i);
        let call = &chunk[..end];
        let Some(start) = call.find('"') else { continue };
        let rest = &call[start + 1..];
        let path = &rest[..rest.find('"').unwrap_or(0)];
        for m in METHODS {
            if call.contains(&format!("{m}(")) {
                out.push((m.to_uppercase(), path.to_owned()));
            }
        }
    }
    out
}

/// Every route of the application, sorted, each once. Fails when `app()` merges a router this
/// reader does not know, or a router nests another, so that no route escapes the tests.
pub fn all() -> Vec<Route> {
    let lib = include_str!("../../src/lib.rs");
    let app_fn = &lib[lib.find("pub fn app(").expect("lib.rs defines app()")..];
    let app_fn = &app_fn[..app_fn.find("\n}").unwrap()];
    assert_eq!(
        app_fn.matches(".merge(").count(),
        2,
        "app() merges a router besides pages::router() and api::router(): teach tests/common/routes.rs to read it"
    );
    let sources = [
        (Surface::Pages, "pages/mod.rs", include_str!("../../src/pages/mod.rs")),
        (Surface::Api, "api/mod.rs", include_str!("../../src/api/mod.rs")),
    ];
    let mut out = Vec::new();
    for (surface, name, src) in sources {
        assert!(
            !src.contains(".merge(") && !src.contains(".nest("),
            "{name} merges or nests another router: teach tests/common/routes.rs to read it"
        );
        out.extend(routes_in(src).into_iter().map(|(method, path)| Route { surface, method, path }));
    }
    let doc = serde_json::to_value(senim_web::api::openapi()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in METHODS {
            if item.get(m).is_some() {
                out.push(Route { surface: Surface::Api, method: m.to_uppercase(), path: path.clone() });
            }
        }
    }
    out.sort();
    out.dedup();
    let pages = out.iter().filter(|r| r.surface == Surface::Pages).count();
    assert!(pages > 40 && out.len() > 100, "the routes were read from the sources: {out:?}");
    out
}

/// The paths with a GET handler on one surface.
pub fn get_paths(surface: Surface) -> Vec<String> {
    all().into_iter().filter(|r| r.surface == surface && r.method == "GET").map(|r| r.path).collect()
}

/// The `{name}` parameters of a route's path, in order.
pub fn params(path: &str) -> Vec<String> {
    path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(p, _)| p.to_owned())).collect()
}

/// The values already chosen for a route's parameters, by name.
pub type Chosen = std::collections::HashMap<String, String>;

/// The values to try for one parameter, given those already chosen.
pub type Candidates<'a> = &'a dyn Fn(&str, &Chosen) -> Vec<String>;

/// Every concrete path of `route`: each parameter in turn replaced by each value `candidates` offers
/// for it, given the values already chosen for the parameters before it.
pub fn expand(route: &str, candidates: Candidates<'_>) -> Vec<String> {
    fn go(path: String, chosen: Chosen, candidates: Candidates<'_>, out: &mut Vec<String>) {
        let Some(p) = params(&path).into_iter().next() else {
            out.push(path);
            return;
        };
        for value in candidates(&p, &chosen) {
            let mut c = chosen.clone();
            c.insert(p.clone(), value.clone());
            go(path.replacen(&format!("{{{p}}}"), &value, 1), c, candidates, out);
        }
    }
    let mut out = Vec::new();
    go(route.to_owned(), Chosen::new(), candidates, &mut out);
    out
}
