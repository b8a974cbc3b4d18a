//! What the mock serves, derived from the spec: one route per operation, what kind of operation it is, which
//! in-memory collection it works on, and the schemas it reads.

use serde_json::Value;
use toriihq_spec::{BodyKind, LoadedSpec, Operation, Pagination};

use crate::schema::Schemas;

/// How an operation behaves against the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// GET on a collection: a (paged) list of its items.
    List,
    /// GET on an item.
    Read,
    /// POST on a collection: stores the body as a new item.
    Create,
    /// PUT or PATCH on an item: merges the body (SCIM PATCH: applies its `Operations`).
    Update,
    /// DELETE on an item.
    Delete,
    /// Anything else: the body (if any) is recorded, the answer is made from the response schema.
    Action,
    /// GET `…/url`: a presigned-style upload URL on the mock itself.
    PresignUrl,
    /// A multipart upload: the file is stored.
    Upload,
    /// `POST …/files {path, type}`: records what was put to a presigned URL.
    StoreFile,
    /// GET `…/download`: 302 to the file on the storage origin.
    Download,
    /// PUT `/services/sync/…`: one sync at a time, of a file that exists (and, for custom, matches its schema).
    Sync,
}

#[derive(Debug, Clone)]
pub struct Route {
    pub op: Operation,
    pub kind: Kind,
    /// The collection's path template, e.g. `/contracts` or `/users/{idUser}/apps`.
    pub collection: String,
    /// The path parameter naming the item, for item routes.
    pub item_param: Option<String>,
    /// Pointer to the 2xx response's JSON schema, when there is one.
    pub response_schema: Option<String>,
    /// Pointer to the JSON request body schema, when there is one.
    pub body_schema: Option<String>,
    /// How an item-returning answer is shaped; decided once, from the schemas.
    pub shape: Shape,
    /// Required keys of the item-level answer (the item itself, or what `Wrapped` wraps).
    pub required: Vec<String>,
}

/// How a read, create or update answers with the item it touched.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// No JSON body.
    Empty,
    /// The item itself.
    Item,
    /// `{key: item}`.
    Wrapped(String),
    /// Something else (`{status}`, `{id}`): made from the response schema, with the item's matching keys.
    Generated,
}

pub struct Api {
    pub spec: LoadedSpec,
    pub routes: Vec<Route>,
    /// Per method, the path router to a route index.
    pub routers: Vec<(String, matchit::Router<usize>)>,
}

impl Api {
    pub fn new(spec: LoadedSpec) -> Result<Api, String> {
        let mut routes = Vec::new();
        let mut routers: Vec<(String, matchit::Router<usize>)> = Vec::new();
        for op in &spec.operations {
            let route = classify(&spec, op);
            let index = routes.len();

            let router = match routers.iter_mut().find(|(m, _)| *m == op.method) {
                Some((_, router)) => router,
                None => {
                    routers.push((op.method.clone(), matchit::Router::new()));
                    &mut routers.last_mut().expect("just pushed").1
                }
            };
            router.insert(op.path.clone(), index).map_err(|e| format!("{} {}: {e}", op.method, op.path))?;
            routes.push(route);
        }
        let mut api = Api { spec, routes, routers };
        let shapes: Vec<(Shape, Vec<String>)> = api.routes.iter().map(|r| api.shape_of(r)).collect();
        for (route, (shape, required)) in api.routes.iter_mut().zip(shapes) {
            route.shape = shape;
            route.required = required;
        }
        Ok(api)
    }

    fn shape_of(&self, route: &Route) -> (Shape, Vec<String>) {
        let schemas = self.schemas();
        let Some(response) = self.schema_at(&route.response_schema).map(|s| schemas.deref(s)) else {
            return (Shape::Empty, Vec::new());
        };
        let item_keys: Vec<&String> = self
            .item_schema(&route.collection)
            .map(|s| schemas.properties(s).into_iter().map(|(k, _)| k).collect())
            .unwrap_or_default();
        let required = |schema: &Value| schemas.required(schema).into_iter().map(str::to_string).collect::<Vec<_>>();
        if let Some((key, inner)) = unwrap_single(schemas, response).filter(|(key, _)| !item_keys.contains(key)) {
            return (Shape::Wrapped(key.clone()), required(inner));
        }
        let properties = schemas.properties(response);
        let shared = properties.iter().filter(|(k, _)| item_keys.contains(k)).count();
        if properties.is_empty() || shared >= 2 {
            (Shape::Item, required(response))
        } else {
            (Shape::Generated, Vec::new())
        }
    }

    /// Whether the items of a collection have integer ids: from the item schema, else from what its routes
    /// answer with.
    pub fn integer_ids(&self, collection: &str) -> bool {
        let schemas = self.schemas();
        fn id_type<'a>(schemas: Schemas<'a>, schema: &'a Value) -> Option<&'a str> {
            schemas
                .properties(schema)
                .into_iter()
                .find(|(k, _)| k.as_str() == "id")
                .and_then(|(_, id)| schemas.deref(id).get("type").and_then(Value::as_str))
        }
        if let Some(kind) = self.item_schema(collection).and_then(|s| id_type(schemas, s)) {
            return kind == "integer";
        }
        self.routes.iter().filter(|r| r.collection == collection).any(|r| {
            let Some(response) = self.schema_at(&r.response_schema).map(|s| schemas.deref(s)) else { return false };
            let inner = unwrap_single(schemas, response).map(|(_, inner)| inner).unwrap_or(response);
            id_type(schemas, inner) == Some("integer")
        })
    }

    pub fn schemas(&self) -> Schemas<'_> {
        Schemas::new(&self.spec.document)
    }

    pub fn schema_at(&self, pointer: &Option<String>) -> Option<&Value> {
        pointer.as_ref().and_then(|p| self.spec.document.pointer(p))
    }

    /// The route for a request, with its path parameters; `Err(true)` when the path exists for another method.
    pub fn find(&self, method: &str, path: &str) -> Result<(usize, Vec<(String, String)>), bool> {
        for (m, router) in &self.routers {
            if m != method {
                continue;
            }
            if let Ok(found) = router.at(path) {
                let params = found.params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
                return Ok((*found.value, params));
            }
        }
        let elsewhere = self.routers.iter().any(|(m, router)| m != method && router.at(path).is_ok());
        Err(elsewhere)
    }

    /// The schema of one item of a collection: a list's array items, else a read's (unwrapped) answer, else a
    /// create's body.
    pub fn item_schema(&self, collection: &str) -> Option<&Value> {
        let schemas = self.schemas();
        let of_kind = |kind: Kind| self.routes.iter().find(|r| r.collection == collection && r.kind == kind);
        if let Some(list) = of_kind(Kind::List) {
            let response = self.schema_at(&list.response_schema)?;
            return list_items(schemas, response, list.op.pagination.items_fields().first().copied())
                .map(|(_, items)| items);
        }
        if let Some(read) = of_kind(Kind::Read) {
            let response = schemas.deref(self.schema_at(&read.response_schema)?);
            return Some(unwrap_single(schemas, response).map(|(_, inner)| inner).unwrap_or(response));
        }
        of_kind(Kind::Create).and_then(|create| self.schema_at(&create.body_schema))
    }

    /// Every collection some route works on, in spec order.
    pub fn collections(&self) -> Vec<String> {
        let mut seen = Vec::new();
        for route in &self.routes {
            if matches!(route.kind, Kind::List | Kind::Read | Kind::Create) && !seen.contains(&route.collection) {
                seen.push(route.collection.clone());
            }
        }
        seen
    }
}

/// The array property of a list response: (key, item schema). `preferred` names it where the response declares
/// several (the paging description's items key); else the one array, or SCIM's `Resources`.
pub fn list_items<'a>(
    schemas: Schemas<'a>,
    response: &'a Value,
    preferred: Option<&str>,
) -> Option<(&'a String, &'a Value)> {
    let arrays: Vec<(&String, &Value)> = schemas
        .properties(response)
        .into_iter()
        .filter(|(_, p)| schemas.deref(p).get("type").and_then(Value::as_str) == Some("array"))
        .collect();
    let (key, array) = match (arrays.as_slice(), preferred) {
        ([one], _) => *one,
        (many, Some(preferred)) => *many.iter().find(|(k, _)| k.as_str() == preferred)?,
        (many, None) => *many.iter().find(|(k, _)| k.as_str() == "Resources")?,
    };
    Some((key, schemas.deref(array).get("items")?))
}

/// `{contract: {...}}`: a response that wraps one object under one key.
pub fn unwrap_single<'a>(schemas: Schemas<'a>, response: &'a Value) -> Option<(&'a String, &'a Value)> {
    let properties = schemas.properties(response);
    match properties.as_slice() {
        [(key, inner)] if schemas.deref(inner).get("type").and_then(Value::as_str) == Some("object") => {
            Some((key, schemas.deref(inner)))
        }
        _ => None,
    }
}

fn classify(spec: &LoadedSpec, op: &Operation) -> Route {
    let segments: Vec<&str> = op.path.trim_start_matches('/').split('/').collect();
    let last_is_param = segments.last().is_some_and(|s| s.starts_with('{'));
    let item_param =
        last_is_param.then(|| segments.last().expect("non-empty").trim_matches(|c| c == '{' || c == '}').to_string());
    let collection =
        if last_is_param { format!("/{}", segments[..segments.len() - 1].join("/")) } else { op.path.clone() };
    let escaped = op.path.replace('~', "~0").replace('/', "~1");
    let method = op.method.to_lowercase();
    let op_pointer = format!("/paths/{escaped}/{method}");
    let response_schema = spec
        .document
        .pointer(&format!("{op_pointer}/responses/{}/content", op.success_status))
        .and_then(Value::as_object)
        .and_then(|content| content.keys().find(|m| m.contains("json")).cloned())
        .map(|media| {
            format!("{op_pointer}/responses/{}/content/{}/schema", op.success_status, media.replace('/', "~1"))
        });
    let body_schema = spec
        .document
        .pointer(&format!("{op_pointer}/requestBody/content"))
        .and_then(Value::as_object)
        .and_then(|content| content.keys().find(|m| m.contains("json")).cloned())
        .map(|media| format!("{op_pointer}/requestBody/content/{}/schema", media.replace('/', "~1")));
    let schemas = Schemas::new(&spec.document);
    let has_list = response_schema
        .as_ref()
        .and_then(|p| spec.document.pointer(p))
        .is_some_and(|r| op.pagination != Pagination::None || list_items(schemas, r, None).is_some());
    let multipart = op.body.as_ref().is_some_and(|b| b.kind == BodyKind::Multipart);
    let kind = match (op.method.as_str(), last_is_param) {
        _ if multipart => Kind::Upload,
        ("GET", false) if op.path.ends_with("/url") => Kind::PresignUrl,
        ("GET", _) if op.path.ends_with("/download") => Kind::Download,
        ("POST", false) if op.path.ends_with("/files") && body_schema.is_some() => Kind::StoreFile,
        ("PUT", false) if op.path.starts_with("/services/sync/") => Kind::Sync,
        ("GET", false) if has_list => Kind::List,
        ("GET", true) => Kind::Read,
        ("POST", false) if body_schema.is_some() => Kind::Create,
        ("PUT" | "PATCH", true) => Kind::Update,
        ("DELETE", true) => Kind::Delete,
        _ => Kind::Action,
    };
    Route {
        op: op.clone(),
        kind,
        collection,
        item_param,
        response_schema,
        body_schema,
        shape: Shape::Empty,
        required: Vec::new(),
    }
}
