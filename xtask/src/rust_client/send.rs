//! The `send` rewrite: progenitor's `send` becomes the private `send_raw`, and `send`/`send_with_response` return
//! the crate's `Result`, after the numeric bound checks progenitor does not make.

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;
use toriihq_spec::{Operation, ValueType};

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
            self.builders.insert(&operation.id, builder, success);
        }
    }
}

/// Checks of the spec's numeric limits (`minimum`, `maximum`), which progenitor does not make, run before any
/// byte is sent. (String limits need no check here: typify turns constrained strings into validating newtypes.)
fn argument_checks(op: &Operation, fields: &[String], runtime: &syn::Path) -> Result<Vec<TokenStream>, String> {
    let mut checks = Vec::new();
    for param in &op.parameters {
        let numeric = matches!(param.value_type, ValueType::Integer | ValueType::Number);
        if !numeric || (param.minimum.is_none() && param.maximum.is_none()) {
            continue;
        }
        let field_name = param.snake_name.clone();
        if !fields.contains(&field_name) {
            return Err(format!("`{}`: the builder has no field `{field_name}` for parameter `{}`", op.id, param.name));
        }
        let field = syn::Ident::new(&field_name, proc_macro2::Span::call_site());
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
