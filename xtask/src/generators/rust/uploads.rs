//! Builders for the operations that send `multipart/form-data` (progenitor does not generate them).

use heck::{ToPascalCase, ToSnakeCase};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use toriihq_spec::{Operation, ParameterLocation};

pub(super) fn upload_builder(op: &Operation, runtime: &syn::Path) -> (TokenStream, TokenStream) {
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
            #path_expr.replace(#placeholder, &#runtime::path_segment(#pname,
                &self.#ident.ok_or_else(|| #runtime::Error::invalid_argument(#pname, "is required"))?)?)
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

fn rust_ident(name: &str) -> Ident {
    let snake = name.to_snake_case();
    match syn::parse_str::<Ident>(&snake) {
        Ok(ident) => ident,
        Err(_) => format_ident!("{snake}_"),
    }
}
