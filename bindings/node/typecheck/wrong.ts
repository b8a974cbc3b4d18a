// Deliberate type errors: tsc must report every line marked `// error`, proving the types are real.
import { Client } from '..'

const client = new Client()
void client.getApps({ size: 'ten' }) // error: a string where the spec says integer
void client.getContract({ idContract: 42 }) // error: the spec types the id as a string
void client.getContract({}) // error: the path parameter is required
void client.getApps({ xApiVersion: '2.0' }) // error: not one of the spec's versions
void client.getApps().then((page) => page.nope) // error: not a key of GetAppsResponse
