/**
 * Throw-away certificates for HTTPS tests, made by the openssl command at
 * test time (no key is checked in): a CA, a server certificate for 127.0.0.1
 * and a client certificate signed by it, and an unrelated CA. EC keys, one day.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isCi } from './servers.ts';

const run = promisify(execFile);

export interface TestCertificates {
  readonly ca: Buffer;
  readonly serverCert: Buffer;
  readonly serverKey: Buffer;
  readonly clientCert: Buffer;
  readonly clientKey: Buffer;
  /** A CA that signed none of the above. */
  readonly otherCa: Buffer;
  /** Where the PEM files are (ca.pem, other-ca.pem, ...), for the variables that take file names. */
  readonly dir: string;
  remove(): Promise<void>;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Why openssl cannot make them here, or undefined. Throws in CI, where the test must not skip. */
export async function opensslUnavailable(): Promise<string | undefined> {
  try {
    await run('openssl', ['version']);
    return undefined;
  } catch (error) {
    const message = `the openssl command is needed to make test certificates: ${String(error)}`;
    if (isCi()) throw new Error(message);
    return message;
  }
}

export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'genesis-certs-'));
  const openssl = (args: string[]) => run('openssl', args, { cwd: dir });
  const ca = (name: string) =>
    openssl(['req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '1', '-subj', `/CN=${name}`]);
  const signed = async (name: string, extensions: string) => {
    await writeFile(join(dir, `${name}.ext`), extensions);
    await openssl(['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=genesis-${name}`]);
    const sign = `x509 -req -in ${name}.csr -CA ca.pem -CAkey ca.key -days 1 -out ${name}.pem -extfile ${name}.ext`;
    await openssl([...sign.split(' '), '-set_serial', String(Date.now())]);
  };
  await Promise.all([ca('ca'), ca('other-ca')]);
  await Promise.all([
    signed('server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'),
    signed('client', 'extendedKeyUsage=clientAuth\n'),
  ]);
  const read = (file: string) => readFile(join(dir, file));
  return {
    ca: await read('ca.pem'),
    serverCert: await read('server.pem'),
    serverKey: await read('server.key'),
    clientCert: await read('client.pem'),
    clientKey: await read('client.key'),
    otherCa: await read('other-ca.pem'),
    dir,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
