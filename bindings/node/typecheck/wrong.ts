// Deliberate type errors: tsc must report every line marked `// error`, proving the types are real.
import { Client } from '..'

const client = new Client()
void client.getApps({ size: 'ten' }) // error: a string where the spec says integer
void client.getContract({ idContract: '42' }) // error: the real API types the id as an integer
void client.getContract({}) // error: the path parameter is required
void client.uploadFile({ file: './a.csv', type: 'contract' }) // error: not one of the spec's file types
void client.getApps().then((page) => page.nope) // error: not a key of AppsPage
client.withOptions({ maxRetry: 1 }) // error: not an option of ClientOptions
void client.getApps().withResponse().then(({ data }) => data.nope) // error: withResponse keeps the answer's type
