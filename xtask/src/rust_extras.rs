//! Items the generator adds beside progenitor's output, all derived from the operation description.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, anyhow};
use heck::{ToPascalCase, ToSnakeCase};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use toriihq_spec::{BodyKind, LoadedSpec, Operation, Pagination, ParameterLocation};

#[derive(Debug, Clone)]
pub(crate) struct BuilderInfo {
    pub builder: String,
    pub success: syn::Type,
}

/// What the send rewrite learnt, keyed by `(METHOD, path)`.
#[derive(Debug, Default)]
pub(crate) struct Builders(BTreeMap<(String, String), BuilderInfo>);

impl Builders {
    pub fn insert(&mut self, builder: String, method: String, path: String, success: syn::Type) {
        self.0.insert((method.to_uppercase(), path), BuilderInfo { builder, success });
    }

    fn for_operation(&self, op: &Operation) -> Option<&BuilderInfo> {
        self.0.get(&(op.method.clone(), op.path.clone()))
    }
}

/// Names of the types progenitor put in `mod types`.
pub(crate) fn type_names(file: &syn::File) -> BTreeSet<String> {
    types_module(file)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Struct(s) => Some(s.ident.to_string()),
                    syn::Item::Enum(e) => Some(e.ident.to_string()),
                    syn::Item::Type(t) => Some(t.ident.to_string()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn types_module(file: &syn::File) -> Option<&Vec<syn::Item>> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

fn find_struct<'a>(file: &'a syn::File, name: &str) -> Option<&'a syn::ItemStruct> {
    types_module(file)?.iter().find_map(|item| match item {
        syn::Item::Struct(s) if s.ident == name => Some(s),
        _ => None,
    })
}

/// The Rust field behind a JSON property: its `#[serde(rename)]`, or its own name.
fn find_field<'a>(item: &'a syn::ItemStruct, json_name: &str) -> Option<&'a syn::Field> {
    item.fields.iter().find(|field| {
        let renamed = field.attrs.iter().filter(|a| a.path().is_ident("serde")).find_map(|attr| {
            let mut found = None;
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let value: syn::LitStr = meta.value()?.parse()?;
                    found = Some(value.value());
                } else if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                }
                Ok(())
            });
            found
        });
        let ident = field.ident.as_ref().map(|i| i.to_string().trim_start_matches("r#").to_string());
        renamed.as_deref().or(ident.as_deref()) == Some(json_name)
    })
}

/// Strips `Option<…>` layers, counting them.
fn unwrap_options(ty: &syn::Type) -> (usize, syn::Type) {
    let mut layers = 0;
    let mut current = ty.clone();
    while let Some(inner) = generic_of(&current, "Option") {
        layers += 1;
        current = inner;
    }
    (layers, current)
}

fn generic_of(ty: &syn::Type, wrapper: &str) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

fn is_float(ty: &syn::Type) -> bool {
    matches!(quote!(#ty).to_string().as_str(), "f64" | "f32")
}

/// The `T` of a builder setter `fn name<V>(self, value: V) where V: TryInto<T>`.
fn setter_target(file: &syn::File, builder: &str, setter: &str) -> Option<syn::Type> {
    let module = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })?;
    module.iter().find_map(|item| {
        let syn::Item::Impl(block) = item else { return None };
        let syn::Type::Path(self_ty) = &*block.self_ty else { return None };
        if self_ty.path.segments.last()?.ident != builder {
            return None;
        }
        block.items.iter().find_map(|entry| {
            let syn::ImplItem::Fn(method) = entry else { return None };
            if method.sig.ident != setter {
                return None;
            }
            method.sig.generics.where_clause.as_ref()?.predicates.iter().find_map(|predicate| {
                let syn::WherePredicate::Type(bound) = predicate else { return None };
                bound.bounds.iter().find_map(|b| {
                    let syn::TypeParamBound::Trait(t) = b else { return None };
                    let last = t.path.segments.last()?;
                    if last.ident != "TryInto" {
                        return None;
                    }
                    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
                    args.args.iter().find_map(|a| match a {
                        syn::GenericArgument::Type(t) => Some(t.clone()),
                        _ => None,
                    })
                })
            })
        })
    })
}

/// The element type of a list field: `Vec<T>` itself, or a generated newtype `struct Apps(pub Vec<T>)`
/// (typify's rendering of a named array schema). The flag says whether `.0` is needed.
fn list_item_type(file: &syn::File, ty: &syn::Type) -> Option<(syn::Type, bool)> {
    if let Some(item) = generic_of(ty, "Vec") {
        return Some((item, false));
    }
    let syn::Type::Path(path) = ty else { return None };
    let name = path.path.segments.last()?.ident.to_string();
    let newtype = find_struct(file, &name)?;
    let syn::Fields::Unnamed(fields) = &newtype.fields else { return None };
    let inner = &fields.unnamed.first()?.ty;
    generic_of(inner, "Vec").map(|item| (item, true))
}

/// Qualifies bare names of generated types with `types::`, for use outside `mod types`.
struct QualifyTypes<'a>(&'a BTreeSet<String>);

impl VisitMut for QualifyTypes<'_> {
    fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
        syn::visit_mut::visit_type_path_mut(self, path);
        if path.qself.is_none() && path.path.leading_colon.is_none() && path.path.segments.len() == 1 {
            let name = path.path.segments[0].ident.to_string();
            if self.0.contains(&name) {
                path.path.segments.insert(0, syn::PathSegment::from(Ident::new("types", Span::call_site())));
            }
        }
    }
}

fn qualified(ty: &syn::Type, names: &BTreeSet<String>) -> syn::Type {
    let mut ty = ty.clone();
    QualifyTypes(names).visit_type_mut(&mut ty);
    ty
}

/// The struct behind a success type such as `types::GetAppsResponse`.
fn response_struct<'a>(file: &'a syn::File, success: &syn::Type) -> Option<&'a syn::ItemStruct> {
    let syn::Type::Path(path) = success else { return None };
    find_struct(file, &path.path.segments.last()?.ident.to_string())
}

pub(crate) fn extras(
    spec: &LoadedSpec,
    builders: &Builders,
    file: &syn::File,
    names: &BTreeSet<String>,
    runtime: &syn::Path,
) -> Result<Vec<syn::Item>> {
    let mut items: Vec<syn::Item> = vec![syn::parse_quote! {
        impl ClientHooks<#runtime::Transport> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                _info: &OperationInfo,
            ) -> std::result::Result<(), Error<E>> {
                self.inner.prepare(request);
                Ok(())
            }

            async fn exec(&self, request: reqwest::Request, _info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
                self.inner.execute(request).await
            }
        }
    }];
    let mut stream_methods = Vec::new();
    for op in &spec.operations {
        if op.pagination == Pagination::None {
            continue;
        }
        let info = builders
            .for_operation(op)
            .ok_or_else(|| anyhow!("no builder was generated for paged operation `{}`", op.id))?;
        stream_methods.push(stream_method(op, info, file, names, runtime)?);
    }
    if !stream_methods.is_empty() {
        items.push(syn::parse_quote! {
            impl Client {
                #(#stream_methods)*
            }
        });
    }
    items.push(typed_round_trip(spec, builders));
    let uploads: Vec<&Operation> =
        spec.operations.iter().filter(|o| o.body.as_ref().is_some_and(|b| b.kind == BodyKind::Multipart)).collect();
    let (structs, constructors): (Vec<TokenStream>, Vec<TokenStream>) =
        uploads.iter().map(|op| upload_builder(op, runtime)).unzip();
    items.push(syn::parse_quote! {
        /// Builders for the operations that send `multipart/form-data`.
        pub mod upload {
            #[allow(unused_imports)]
            use super::{types, ResponseValue};
            #(#structs)*
        }
    });
    if !constructors.is_empty() {
        items.push(syn::parse_quote! {
            impl Client {
                #(#constructors)*
            }
        });
    }
    Ok(items)
}

fn stream_method(
    op: &Operation,
    info: &BuilderInfo,
    file: &syn::File,
    names: &BTreeSet<String>,
    runtime: &syn::Path,
) -> Result<TokenStream> {
    let response = response_struct(file, &info.success)
        .ok_or_else(|| anyhow!("`{}`: the response of a paged list is not a struct", op.id))?;
    let builder = format_ident!("{}", info.builder);
    let operation = format_ident!("{}", op.snake_name);
    let method = format_ident!("{}_stream", op.snake_name);
    let field = |json: &str| {
        find_field(response, json).ok_or_else(|| anyhow!("`{}`: no field `{json}` in the response", op.id))
    };
    let page_fetch = match &op.pagination {
        Pagination::Cursor { cursor_param, next_cursor_field, .. } => {
            let next = field(next_cursor_field)?;
            let next_ident = next.ident.clone().expect("named field");
            let next_value = match unwrap_options(&next.ty).0 {
                0 => quote!(Some(page.#next_ident.to_string())),
                1 => quote!(page.#next_ident.map(|c| c.to_string())),
                _ => quote!(page.#next_ident.flatten().map(|c| c.to_string())),
            };
            let setter = format_ident!("{}", cursor_param.to_snake_case());
            PageFetch::Cursor { next_value, setter }
        }
        Pagination::ScimOffset { start_param, total_field, .. } => {
            let total = field(total_field)?;
            let total_ident = total.ident.clone().expect("named field");
            let (layers, total_type) = unwrap_options(&total.ty);
            let to_i64 = if is_float(&total_type) { quote!(Some(t as i64)) } else { quote!(i64::try_from(t).ok()) };
            let total_value = match layers {
                0 => quote!({ let t = page.#total_ident; #to_i64 }),
                _ => quote!(page.#total_ident.and_then(|t| #to_i64)),
            };
            let setter = format_ident!("{}", start_param.to_snake_case());
            let start_value = number_for(file, info, &setter, quote!(start));
            PageFetch::Scim { total_value, setter, start_value }
        }
        Pagination::Offset { offset_param, .. } => {
            let setter = format_ident!("{}", offset_param.to_snake_case());
            PageFetch::Offset { offset_value: number_for(file, info, &setter, quote!(offset)), setter }
        }
        Pagination::None => unreachable!(),
    };
    let mut item_type = None;
    let mut candidates = Vec::new();
    for json in op.pagination.items_fields() {
        let items = field(json)?;
        let items_ident = items.ident.clone().expect("named field");
        let (option_layers, list_type) = unwrap_options(&items.ty);
        let (this_type, newtype) =
            list_item_type(file, &list_type).ok_or_else(|| anyhow!("`{}`: `{json}` is not a list", op.id))?;
        item_type.get_or_insert(this_type);
        let unwrap_newtype = if newtype { quote!(.0) } else { quote!() };
        candidates.push(match option_layers {
            0 => (quote!(page.#items_ident #unwrap_newtype), false),
            _ => (quote!(page.#items_ident.map(|list| list #unwrap_newtype)), true),
        });
    }
    let item_type = qualified(&item_type.ok_or_else(|| anyhow!("`{}`: a paged list without items", op.id))?, names);
    // The items come from the first of the list's keys the page has (one key for all but a few lists).
    let items_value = match candidates.as_slice() {
        [(only, false)] => only.clone(),
        [(only, true)] => quote!(#only.unwrap_or_default()),
        many => {
            let options =
                many.iter().map(|(list, optional)| if *optional { list.clone() } else { quote!(Some(#list)) });
            quote!([#(#options),*].into_iter().flatten().next().unwrap_or_default())
        }
    };
    let doc = format!(
        " Every item of `{}` (`{} {}`), page after page.\n\n `configure` sets the request's parameters and runs for \
         every page, so each page is asked for with the same filters.",
        op.id, op.method, op.path
    );
    let body = match page_fetch {
        PageFetch::Scim { total_value, setter, start_value } => quote! {
            #runtime::paging::offset_stream(move |start: u64| {
                let request = configure(self.#operation()).#setter(#start_value);
                async move {
                    let page = request.send().await?;
                    Ok((#items_value, #total_value))
                }
            })
        },
        PageFetch::Offset { setter, offset_value } => quote! {
            #runtime::paging::limit_offset_stream(move |offset: u64| {
                let request = configure(self.#operation()).#setter(#offset_value);
                async move {
                    let page = request.send().await?;
                    Ok(#items_value)
                }
            })
        },
        PageFetch::Cursor { next_value, setter } => quote! {
            #runtime::paging::cursor_stream(move |cursor: Option<String>| {
                let mut request = configure(self.#operation());
                if let Some(cursor) = cursor {
                    request = request.#setter(cursor);
                }
                async move {
                    let page = request.send().await?;
                    Ok((#items_value, #next_value))
                }
            })
        },
    };
    Ok(quote! {
        #[doc = #doc]
        pub fn #method<'a, F>(&'a self, configure: F) -> #runtime::BoxStream<'a, #runtime::Result<#item_type>>
        where
            F: Fn(builder::#builder<'a>) -> builder::#builder<'a> + Send + Sync + 'a,
        {
            #body
        }
    })
}

/// `typed_round_trip(operation, body)`: an answer decoded as the operation's typed struct and encoded again, so a
/// test can hold the typed decoding of every operation to "nothing lost". Operations without a typed JSON answer
/// give `None`.
fn typed_round_trip(spec: &LoadedSpec, builders: &Builders) -> syn::Item {
    let arms: Vec<TokenStream> = spec
        .operations
        .iter()
        .filter_map(|op| {
            let schema = op.response_schema.as_ref()?;
            let success: syn::Type = match builders.for_operation(op) {
                Some(info) => info.success.clone(),
                None => syn::parse_str(&format!("types::{}", schema.to_pascal_case())).ok()?,
            };
            let id = &op.id;
            Some(quote!(#id => Some(round::<#success>(body)),))
        })
        .collect();
    if arms.is_empty() {
        return syn::parse_quote! {
            #[doc(hidden)]
            pub fn typed_round_trip(
                _operation: &str,
                _body: &[u8],
            ) -> Option<std::result::Result<::serde_json::Value, ::serde_json::Error>> {
                None
            }
        };
    }
    syn::parse_quote! {
        #[doc(hidden)]
        pub fn typed_round_trip(
            operation: &str,
            body: &[u8],
        ) -> Option<std::result::Result<::serde_json::Value, ::serde_json::Error>> {
            fn round<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(
                body: &[u8],
            ) -> std::result::Result<::serde_json::Value, ::serde_json::Error> {
                ::serde_json::to_value(::serde_json::from_slice::<T>(body)?)
            }
            match operation {
                #(#arms)*
                _ => None,
            }
        }
    }
}

/// How a paged list's stream asks for the next page and reads where it is.
enum PageFetch {
    Cursor { next_value: TokenStream, setter: Ident },
    Scim { total_value: TokenStream, setter: Ident, start_value: TokenStream },
    Offset { offset_value: TokenStream, setter: Ident },
}

/// A position (`u64`) as the builder's setter takes it: as is, or as `f64` where the spec types it `number`.
fn number_for(file: &syn::File, info: &BuilderInfo, setter: &Ident, value: TokenStream) -> TokenStream {
    match setter_target(file, &info.builder, &setter.to_string()) {
        Some(target) if is_float(&target) => quote!(#value as f64),
        _ => value,
    }
}

fn rust_ident(name: &str) -> Ident {
    let snake = name.to_snake_case();
    match syn::parse_str::<Ident>(&snake) {
        Ok(ident) => ident,
        Err(_) => format_ident!("{snake}_"),
    }
}

fn upload_builder(op: &Operation, runtime: &syn::Path) -> (TokenStream, TokenStream) {
    let body = op.body.as_ref().expect("multipart body");
    let name = format_ident!("{}", op.id.to_pascal_case());
    let constructor = format_ident!("{}", op.snake_name);
    let response: syn::Type = match &op.response_schema {
        Some(schema) => syn::parse_str(&format!("types::{}", schema.to_pascal_case())).expect("type name"),
        None => syn::parse_quote!(()),
    };
    let path_params: Vec<_> = op.parameters.iter().filter(|p| p.location == ParameterLocation::Path).collect();
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut collect = Vec::new();
    for param in &path_params {
        let ident = rust_ident(&param.name);
        let doc = format!(" Path parameter `{}`.", param.name);
        fields.push(quote!(#ident: Option<String>));
        setters.push(quote! {
            #[doc = #doc]
            pub fn #ident(mut self, value: impl ToString) -> Self {
                self.#ident = Some(value.to_string());
                self
            }
        });
    }
    let op_path = &op.path;
    let mut path_expr = quote!(String::from(#op_path));
    for param in &path_params {
        let ident = rust_ident(&param.name);
        let placeholder = format!("{{{}}}", param.name);
        let pname = &param.name;
        path_expr = quote! {
            #path_expr.replace(#placeholder, &progenitor_client::encode_path(
                &self.#ident.ok_or_else(|| #runtime::Error::invalid_argument(#pname, "is required"))?))
        };
    }
    for field in &body.form_fields {
        let ident = rust_ident(&field.name);
        let json = &field.name;
        let (ty, setter_arg, wrap) = if field.binary {
            (
                quote!(#runtime::upload::FilePart),
                quote!(value: impl Into<#runtime::upload::FilePart>),
                quote!(#runtime::upload::FormValue::File(value)),
            )
        } else {
            (quote!(String), quote!(value: impl ToString), quote!(#runtime::upload::FormValue::Text(value)))
        };
        let into = if field.binary { quote!(value.into()) } else { quote!(value.to_string()) };
        let doc = format!(" Form field `{}`{}.", field.name, if field.required { " (required)" } else { "" });
        fields.push(quote!(#ident: Option<#ty>));
        setters.push(quote! {
            #[doc = #doc]
            pub fn #ident(mut self, #setter_arg) -> Self {
                self.#ident = Some(#into);
                self
            }
        });
        let allowed: Vec<String> = field.enum_values.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
        let check = if allowed.is_empty() || field.binary {
            quote!()
        } else {
            let message = format!("must be one of {}", allowed.join(", "));
            quote! {
                if ![#(#allowed),*].contains(&value.as_str()) {
                    return Err(#runtime::Error::invalid_argument(#json, #message));
                }
            }
        };
        let missing = if field.required {
            quote!(return Err(#runtime::Error::invalid_argument(#json, "is required")))
        } else {
            quote!({})
        };
        collect.push(quote! {
            match self.#ident {
                Some(value) => {
                    #check
                    fields.push((#json, #wrap));
                }
                None => #missing,
            }
        });
    }
    let field_names: Vec<Ident> = path_params
        .iter()
        .map(|p| rust_ident(&p.name))
        .chain(body.form_fields.iter().map(|f| rust_ident(&f.name)))
        .collect();
    let method = format_ident!("{}", op.method.to_uppercase());
    let struct_doc = format!(" Builder for `{}` (`{} {}`, multipart).", op.id, op.method, op.path);
    let send_doc = format!("Sends a `{}` request to `{}`", op.method, op.path);
    let builder = quote! {
        #[doc = #struct_doc]
        #[derive(Debug, Clone)]
        pub struct #name<'a> {
            client: &'a super::Client,
            #(#fields,)*
        }

        impl<'a> #name<'a> {
            pub fn new(client: &'a super::Client) -> Self {
                Self { client, #(#field_names: None,)* }
            }

            #(#setters)*

            #[doc = #send_doc]
            ///
            /// Files are size-checked before any byte leaves. Returns the decoded body.
            pub async fn send(self) -> #runtime::Result<#response> {
                self.send_with_response().await.map(ResponseValue::into_inner)
            }

            /// As `send`, with the status and headers of the answer.
            pub async fn send_with_response(self) -> #runtime::Result<ResponseValue<#response>> {
                let path = #path_expr;
                let mut fields = Vec::new();
                #(#collect)*
                #runtime::upload::send_multipart(&self.client.inner, reqwest::Method::#method, &path, fields).await
            }
        }
    };
    let doc = format!(" `{}` (`{} {}`): a multipart upload.", op.id, op.method, op.path);
    let constructor = quote! {
        #[doc = #doc]
        pub fn #constructor(&self) -> upload::#name<'_> {
            upload::#name::new(self)
        }
    };
    (builder, constructor)
}

/// Enums typify cannot name (values that differ only in punctuation) get spelled-out variant names and go into
/// `mod types`, where the replacement settings point.
pub(crate) fn add_named_enums(file: &mut syn::File, enums: &BTreeMap<String, Vec<String>>) -> Result<()> {
    if enums.is_empty() {
        return Ok(());
    }
    let module = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .ok_or_else(|| anyhow!("progenitor output has no `types` module"))?;
    for (name, values) in enums {
        let ident = format_ident!("{}", name.to_pascal_case());
        let variants = spelled_out_names(values);
        let variant_idents: Vec<Ident> = variants.iter().map(|v| format_ident!("{v}")).collect();
        let doc = format!(" One of: {}.", values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "));
        let item: syn::File = syn::parse2(quote! {
            #[doc = #doc]
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
            pub enum #ident {
                #( #[serde(rename = #values)] #variant_idents, )*
            }

            impl #ident {
                /// The value as sent on the wire.
                pub fn as_str(&self) -> &'static str {
                    match self { #( Self::#variant_idents => #values, )* }
                }
            }

            impl std::fmt::Display for #ident {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl std::str::FromStr for #ident {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> std::result::Result<Self, Self::Err> {
                    match value {
                        #( #values => Ok(Self::#variant_idents), )*
                        _ => Err("invalid value".into()),
                    }
                }
            }

            impl std::convert::TryFrom<&str> for #ident {
                type Error = self::error::ConversionError;
                fn try_from(value: &str) -> std::result::Result<Self, Self::Error> {
                    value.parse()
                }
            }

            impl std::convert::TryFrom<String> for #ident {
                type Error = self::error::ConversionError;
                fn try_from(value: String) -> std::result::Result<Self, Self::Error> {
                    value.parse()
                }
            }
        })?;
        module.extend(item.items);
    }
    Ok(())
}

fn word_for(c: char) -> String {
    match c {
        '/' => "slash".into(),
        '.' => "dot".into(),
        '-' => "dash".into(),
        ' ' => "space".into(),
        ',' => "comma".into(),
        ':' => "colon".into(),
        '[' => "open bracket".into(),
        ']' => "close bracket".into(),
        '(' => "open paren".into(),
        ')' => "close paren".into(),
        '+' => "plus".into(),
        '_' => "underscore".into(),
        other => format!("u{:x}", other as u32),
    }
}

/// `DD/MM/YYYY` → `DdSlashMmSlashYyyy`; a name still taken gets its position appended.
pub fn spelled_out_names(values: &[String]) -> Vec<String> {
    let mut taken = BTreeSet::new();
    values
        .iter()
        .enumerate()
        .map(|(index, value)| {
            let words: Vec<String> = value
                .chars()
                .map(|c| if c.is_alphanumeric() { c.to_string() } else { format!(" {} ", word_for(c)) })
                .collect();
            let mut name = words.concat().to_pascal_case();
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                name = format!("V{name}");
            }
            if !taken.insert(name.clone()) {
                name = format!("{name}{index}");
                taken.insert(name.clone());
            }
            name
        })
        .collect()
}
