//! The `send` rewrite: progenitor's `send` becomes the private `send_raw`, and `send`/`send_with_response` return
//! the crate's `Result`, after the numeric bound checks progenitor does not make.

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;
use toriihq_spec::{Operation, Pagination, Parameter, ParameterLocation, ValueType};

use super::lookup::Builders;

/// Renames progenitor's `send` to `send_raw` and adds `send` and `send_with_response` returning the crate's
/// `Result`. Records, per operation, its builder and success type, for the extras. A builder is matched to its
/// operation by name: progenitor names it after the operationId, as `Operation::pascal_name` does.
pub(super) struct SendRewrite<'a> {
    runtime: syn::Path,
    operations: &'a [Operation],
    builders: Builders,
    failure: Option<String>,
}

impl<'a> SendRewrite<'a> {
    pub(super) fn new(runtime: syn::Path, operations: &'a [Operation]) -> Self {
        SendRewrite { runtime, operations, builders: Builders::default(), failure: None }
    }

    /// The builders found, or why the rewrite could not be done.
    pub(super) fn finish(self) -> anyhow::Result<Builders> {
        match self.failure {
            Some(failure) => anyhow::bail!(failure),
            None => Ok(self.builders),
        }
    }
}

impl VisitMut for SendRewrite<'_> {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if module.ident != "builder" {
            return;
        }
        let Some((_, items)) = module.content.as_mut() else { return };
        let fields: std::collections::BTreeMap<String, Vec<String>> = items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(s) => Some((
                    s.ident.to_string(),
                    s.fields.iter().filter_map(|f| f.ident.as_ref().map(|i| i.to_string())).collect(),
                )),
                _ => None,
            })
            .collect();
        for item in items.iter_mut() {
            let syn::Item::Impl(block) = item else { continue };
            let Some(builder) = self_type_name(block) else { continue };
            let Some(index) =
                block.items.iter().position(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "send"))
            else {
                continue;
            };
            let syn::ImplItem::Fn(send) = &mut block.items[index] else { unreachable!() };
            let Some(operation) = self.operations.iter().find(|o| o.pascal_name == builder) else {
                self.failure.get_or_insert(format!("progenitor's builder `{builder}` matches no operation's name"));
                continue;
            };
            let Some(success) = success_type(&send.sig.output) else { continue };
            send.sig.ident = syn::Ident::new("send_raw", send.sig.ident.span());
            send.vis = syn::Visibility::Inherited;
            let body_sender = (matches!(operation.pagination, Pagination::Cursor { .. }) && decodes(&success))
                .then(|| undecoded_sender(send, &success, &self.runtime));
            let doc = send.attrs.iter().filter(|a| a.path().is_ident("doc")).cloned().collect::<Vec<_>>();
            let runtime = &self.runtime;
            let finish = if decodes(&success) { quote!(finish_decoded) } else { quote!(finish) };
            let known_fields = fields.get(&builder).cloned().unwrap_or_default();
            let checks = match argument_checks(operation, &known_fields, runtime) {
                Ok(checks) => checks,
                Err(message) => {
                    self.failure.get_or_insert(message);
                    Vec::new()
                }
            };
            let added: syn::ItemImpl = syn::parse_quote! {
                impl X {
                    #(#doc)*
                    ///
                    /// Returns the decoded body.
                    pub async fn send(self) -> #runtime::Result<#success> {
                        self.send_with_response().await.map(ResponseValue::into_inner)
                    }
                    /// As `send`, with the status and headers of the answer.
                    pub async fn send_with_response(self) -> #runtime::Result<ResponseValue<#success>> {
                        #(#checks)*
                        #runtime::#finish(self.send_raw().await).await
                    }
                }
            };
            block.items.extend(added.items);
            if let Some(body_sender) = body_sender {
                let checks = argument_checks(operation, &known_fields, runtime).unwrap_or_default();
                let added: syn::ItemImpl = syn::parse_quote! {
                    impl X {
                        /// The page's JSON undecoded, for the item stream: it reads the next cursor first and
                        /// decodes while the next page is on the wire.
                        #[doc(hidden)]
                        pub async fn send_body(self) -> #runtime::Result<#runtime::Bytes> {
                            #(#checks)*
                            #runtime::finish(self.send_body_raw().await).await.map(ResponseValue::into_inner)
                        }
                    }
                };
                block.items.push(body_sender);
                block.items.extend(added.items);
            }
            self.builders.insert(&operation.id, builder, success);
        }
    }
}

/// Checks progenitor does not make, run before any byte is sent: the spec's numeric limits (`minimum`, `maximum`),
/// and path ids that would not stay one segment (empty, `.`, `..`). (String limits need no check here: typify
/// turns constrained strings into validating newtypes.)
fn argument_checks(op: &Operation, fields: &[String], runtime: &syn::Path) -> Result<Vec<TokenStream>, String> {
    let mut checks = Vec::new();
    // A number cannot be `.`, `..` or empty: only ids taken as text are checked.
    let textual = |p: &&Parameter| !matches!(p.value_type, ValueType::Integer | ValueType::Number);
    for param in op.parameters.iter().filter(|p| p.location == ParameterLocation::Path).filter(textual) {
        let field = builder_field(op, param, fields)?;
        let name = &param.snake_name;
        checks.push(quote!(#runtime::check_path_argument(#name, self.#field.as_ref().ok())?;));
    }
    for param in &op.parameters {
        let numeric = matches!(param.value_type, ValueType::Integer | ValueType::Number);
        if !numeric || (param.minimum.is_none() && param.maximum.is_none()) {
            continue;
        }
        let field = builder_field(op, param, fields)?;
        let value = if param.required {
            quote!(self.#field.as_ref().ok())
        } else {
            quote!(self.#field.as_ref().ok().and_then(|v| v.as_ref()))
        };
        let name = &param.name;
        let minimum = option_tokens(param.minimum);
        let maximum = option_tokens(param.maximum);
        checks.push(quote!(#runtime::check_bounds(#name, #value, #minimum, #maximum)?;));
    }
    Ok(checks)
}

/// The builder's field holding `param`.
fn builder_field(op: &Operation, param: &Parameter, fields: &[String]) -> Result<syn::Ident, String> {
    let name = &param.snake_name;
    if !fields.contains(name) {
        return Err(format!("`{}`: the builder has no field `{name}` for parameter `{}`", op.id, param.name));
    }
    Ok(syn::Ident::new(name, proc_macro2::Span::call_site()))
}

fn option_tokens(value: Option<f64>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn self_type_name(block: &syn::ItemImpl) -> Option<String> {
    match &*block.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// A copy of progenitor's `send_raw` answering the body's bytes: the success type becomes `Bytes`, and its decoding
/// the runtime's `body_response`.
fn undecoded_sender(send_raw: &syn::ImplItemFn, success: &syn::Type, runtime: &syn::Path) -> syn::ImplItem {
    struct Undecoded<'a> {
        success: String,
        runtime: &'a syn::Path,
    }
    impl VisitMut for Undecoded<'_> {
        fn visit_type_mut(&mut self, ty: &mut syn::Type) {
            if quote!(#ty).to_string() == self.success {
                let runtime = self.runtime;
                *ty = syn::parse_quote!(#runtime::Bytes);
            } else {
                syn::visit_mut::visit_type_mut(self, ty);
            }
        }

        /// Only the success arm's decoding: an error answer (`Error::ErrorResponse(…)`) is still decoded.
        fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
            if calls(call, &["Error", "ErrorResponse"]) {
                return;
            }
            if calls(call, &["ResponseValue", "from_response"]) {
                let runtime = self.runtime;
                *call.func = syn::parse_quote!(#runtime::body_response);
                return;
            }
            syn::visit_mut::visit_expr_call_mut(self, call);
        }
    }
    let mut sender = send_raw.clone();
    sender.sig.ident = syn::Ident::new("send_body_raw", sender.sig.ident.span());
    sender.attrs.retain(|a| !a.path().is_ident("doc"));
    Undecoded { success: quote!(#success).to_string(), runtime }.visit_impl_item_fn_mut(&mut sender);
    syn::ImplItem::Fn(sender)
}

/// `T` out of `Result<ResponseValue<T>, Error<E>>`.
fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else { return None };
    let response_value = first_generic(ty)?;
    first_generic(&response_value)
}

fn first_generic(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else { return None };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

fn decodes(ty: &syn::Type) -> bool {
    let text = quote!(#ty).to_string().replace(' ', "");
    text != "()" && !text.ends_with("ByteStream")
}

/// Points two of progenitor's helpers at the runtime's: the decoding of a 2xx answer
/// (`ResponseValue::from_response`) at `decode_response`, which checks the body's UTF-8 once instead of string by
/// string, and `encode_path` at `encode_path_segment`, the one path encoder (progenitor's leaves `\`, which URL
/// parsers read as `/`, as it is).
pub(super) struct RuntimeRewrite {
    pub(super) runtime: syn::Path,
}

impl VisitMut for RuntimeRewrite {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        syn::visit_mut::visit_expr_call_mut(self, call);
        let runtime = &self.runtime;
        if calls(call, &["ResponseValue", "from_response"]) {
            *call.func = syn::parse_quote!(#runtime::decode_response);
        }
    }

    /// progenitor calls `encode_path` inside `format!`, whose arguments are tokens to syn, not expressions.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        let runtime = &self.runtime;
        mac.tokens = replace_ident(mac.tokens.clone(), "encode_path", &quote!(#runtime::encode_path_segment));
    }
}

/// `tokens` with every identifier `name` (at any depth of grouping) replaced by `with`.
fn replace_ident(tokens: TokenStream, name: &str, with: &TokenStream) -> TokenStream {
    use proc_macro2::{Group, TokenTree};
    tokens
        .into_iter()
        .flat_map(|token| -> TokenStream {
            match token {
                TokenTree::Ident(ident) if ident == name => with.clone(),
                TokenTree::Group(group) => {
                    let mut replaced = Group::new(group.delimiter(), replace_ident(group.stream(), name, with));
                    replaced.set_span(group.span());
                    TokenTree::Group(replaced).into()
                }
                other => other.into(),
            }
        })
        .collect()
}

/// Whether `call` calls the function at exactly this path (`ResponseValue::from_response`).
fn calls(call: &syn::ExprCall, path: &[&str]) -> bool {
    let syn::Expr::Path(function) = call.func.as_ref() else { return false };
    function.path.segments.len() == path.len() && function.path.segments.iter().zip(path).all(|(s, p)| s.ident == p)
}
