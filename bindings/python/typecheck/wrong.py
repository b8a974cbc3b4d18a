"""Deliberate type errors: `mypy` must report every line marked `# error`, proving the types are real."""

import toriihq

client = toriihq.Client()
client.get_apps(size="ten")  # error: a string where the spec says integer
client.get_contract(id_contract=42)  # error: the spec types the id as a string
client.get_contract()  # error: the path parameter is required
client.get_apps(x_api_version="2.0")  # error: not one of the spec's versions
page = client.get_apps()
page["nope"]  # error: not a key of GetAppsResponse
