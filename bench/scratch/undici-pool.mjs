import { createServer } from 'node:http';
import { Pool } from 'undici';
const port = Number(process.argv[2] ?? 9601); const up = Number(process.argv[3] ?? 9500);
const pool = new Pool(`http://127.0.0.1:${up}`, { connections: 128 });
createServer((req, res) => {
  const h = { ...req.headers }; delete h.connection; delete h['keep-alive']; delete h['transfer-encoding'];
  pool.stream({ path: req.url, method: req.method, headers: h, body: req.method === 'GET' || req.method === 'HEAD' ? null : req }, ({ statusCode, headers }) => { res.writeHead(statusCode, headers); return res; }, (err) => { if (err) { res.statusCode = 502; res.end(); } });
}).listen(port, '127.0.0.1', () => console.log('ready'));
