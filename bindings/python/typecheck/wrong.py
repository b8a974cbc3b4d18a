"""Deliberate type errors: `mypy` must report every line marked `# error`, proving the types are real."""

import toriihq

client = toriihq.Client()
client.get_apps(size="ten")  # error: a string where the spec says integer
client.get_contract(id_contract="42")  # error: the real API types the id as an integer
client.get_contract()  # error: the path parameter is required
client.with_options(max_retry=1)  # error: not an option of ClientOptions
client.with_raw_response.get_contract(id_contract="42")  # error: the raw form keeps the method's parameters
client.upload_file(file=b"{}", type_="contract")  # error: not one of the spec's file types
page = client.get_apps()
page["nope"]  # error: not a key of AppsPage
