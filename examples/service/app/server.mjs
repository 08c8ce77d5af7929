// The example HTTP service: GET /orders/:id and POST /checkout/:id, JSON answers.
import { createServer } from "node:http";
import { checkout, getOrder } from "./orders.mjs";

async function route(method, path) {
  const [, resource, id] = path.split("/");
  if (method === "GET" && resource === "orders") return getOrder(id);
  if (method === "POST" && resource === "checkout") return checkout(id);
  return undefined;
}

async function handle(req, res) {
  try {
    const body = await route(req.method, (req.url ?? "/").split("?")[0]);
    if (body === undefined) return send(res, 404, { error: "not found" });
    send(res, 200, body);
  } catch (error) {
    send(res, error.status ?? 500, { error: error.message });
  }
}

function send(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

export function startService(port = 0) {
  const server = createServer((req, res) => void handle(req, res));
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}
