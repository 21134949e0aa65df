import { createServer } from 'node:http';
const body = Buffer.from('hello world\n');
createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length }); res.end(body); }).listen(Number(process.argv[2] ?? 9500), '127.0.0.1');
