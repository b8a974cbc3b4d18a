//! The Python and Node methods for the core's workflows (`crates/toriihq/src/workflows/table.rs`, read as a module
//! of this crate like the error catalogue): each calls the workflow by name, so its logic stays in the core.

use heck::{ToLowerCamelCase, ToPascalCase};
use toriihq_spec::LoadedSpec;

#[path = "../../crates/toriihq/src/workflows/table.rs"]
#[allow(dead_code)]
mod table;

use table::{ParamType, WORKFLOWS, WorkflowSpec};

/// The workflows whose operations the spec has.
pub fn offered(spec: &LoadedSpec) -> impl Iterator<Item = &'static WorkflowSpec> + '_ {
    WORKFLOWS.iter().filter(|w| w.needs.iter().all(|id| spec.operations.iter().any(|op| op.id == *id)))
}

fn python_type(ty: ParamType) -> &'static str {
    match ty {
        ParamType::Text => "str",
    }
}

fn ts_type(ty: ParamType) -> &'static str {
    match ty {
        ParamType::Text => "string",
    }
}

/// A method of `SyncOperations` or `AsyncOperations`.
pub fn python_method(spec: &WorkflowSpec, asynchronous: bool) -> String {
    let mut params: Vec<&table::WorkflowParam> = spec.params.iter().collect();
    params.sort_by_key(|p| !p.required);
    let mut signature: Vec<String> = params
        .iter()
        .map(|p| {
            let ty = python_type(p.ty);
            if p.required { format!("{}: {ty}", p.name) } else { format!("{}: {ty} | None = None", p.name) }
        })
        .collect();
    signature.push("options: RequestOptions | None = None".into());
    let sent: Vec<String> = spec.params.iter().map(|p| format!("{:?}: {}", p.name, p.name)).collect();
    let (def, wait) = if asynchronous { ("async def", "await ") } else { ("def", "") };
    format!(
        "\n    {def} {name}(self, *, {signature}) -> types.{returns}{optional}:\n        \"\"\"{summary}.\n\n        A workflow of the core (`{name}`).\"\"\"\n        return {wait}self._call({name:?}, {{{sent}}}, options)  # type: ignore[no-any-return]\n",
        name = spec.name,
        signature = signature.join(", "),
        returns = spec.returns,
        optional = if spec.returns_optional { " | None" } else { "" },
        summary = spec.summary,
        sent = sent.join(", "),
    )
}

/// The method of the Node `Client` class.
pub fn node_method(spec: &WorkflowSpec) -> String {
    let name = spec.name.to_lower_camel_case();
    format!(
        "\n  /** {}. A workflow of the core (`{}`). */\n  {name}(params, options) {{\n    return this._call({:?}, params, options)\n  }}\n",
        spec.summary, spec.name, spec.name
    )
}

/// The method's declaration in the `Client` class of `index.d.ts`, and its params interface.
pub fn node_declarations(spec: &WorkflowSpec) -> (String, String) {
    let name = spec.name.to_lower_camel_case();
    let params_name = format!("{}Params", spec.name.to_pascal_case());
    let method = format!(
        "  /** {}. A workflow of the core (`{}`). */\n  {name}(params: {params_name}, options?: RequestOptions): Promise<{}{}>\n",
        spec.summary,
        spec.name,
        spec.returns,
        if spec.returns_optional { " | null" } else { "" }
    );
    let mut interface =
        format!("\n/** Parameters of the workflow `{}`. */\nexport interface {params_name} {{\n", spec.name);
    for param in spec.params {
        let optional = if param.required { "" } else { "?" };
        interface.push_str(&format!(
            "  /** {} */\n  {}{optional}: {}\n",
            param.doc,
            param.name.to_lower_camel_case(),
            ts_type(param.ty)
        ));
    }
    interface.push_str("}\n");
    (method, interface)
}
