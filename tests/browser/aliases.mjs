// Serves a public URL such as https://zlack.test from a local test server, so
// the browser sees what users see: the real host name, real TLS (with a
// throwaway self-signed certificate) and cookies scoped to that host.
//
// Chromium resolves the alias host to a loopback port (--host-resolver-rules).
// For https aliases that port is a TLS terminator piping bytes to the target.
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import tls from 'node:tls';

/** { "https://zlack.test": "http://127.0.0.1:PORT" } → { hosts, hostRules, https, close } */
export async function startAliases(aliases) {
  const servers = [];
  const rules = [];
  for (const [from, to] of Object.entries(aliases || {})) {
    const alias = new URL(from);
    const target = new URL(to);
    if (alias.protocol === 'https:') {
      const server = tls.createServer(selfSigned(alias.hostname), (socket) => {
        const upstream = net.connect(Number(target.port || 80), target.hostname);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
        socket.pipe(upstream).pipe(socket);
      });
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      rules.push(`MAP ${alias.hostname} 127.0.0.1:${server.address().port}`);
    } else {
      rules.push(`MAP ${alias.hostname} ${target.hostname}:${target.port || 80}`);
    }
  }
  return {
    hosts: Object.keys(aliases || {}).map((from) => new URL(from).hostname),
    hostRules: rules.length ? [`--host-resolver-rules=${rules.join(', ')}`] : [],
    https: servers.length > 0,
    close: () => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))),
  };
}

/** A key and a one-day certificate for `host`, from the openssl CLI. */
function selfSigned(host) {
  const pem = execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', '-', '-out', '-', '-days', '1', '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`,
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const block = (label) => pem.match(new RegExp(`-----BEGIN ${label}-----[^]*?-----END ${label}-----`))[0];
  return { key: block('PRIVATE KEY'), cert: block('CERTIFICATE') };
}
