// The business logic of the example service: validation, pricing, checkout.
import { findOrder, reserveStock } from "./store.mjs";

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.name = "HttpError";
    this.status = status;
  }
}

export function parseId(text) {
  const id = Number(text);
  if (!Number.isInteger(id) || id <= 0) throw new HttpError(400, `invalid order id: ${text}`);
  return id;
}

function applyDiscount(total, items) {
  return items >= 3 ? Math.round(total * 0.9 * 100) / 100 : total;
}

export function priceOrder(order) {
  return applyDiscount(order.items * order.unitPrice, order.items);
}

export async function getOrder(idText) {
  const order = await findOrder(parseId(idText));
  if (order === null) throw new HttpError(404, `no order ${idText}`);
  return { ...order, total: priceOrder(order) };
}

function chargeCard(order, total) {
  if (order.id % 9 === 0) throw new HttpError(402, `card declined for order ${order.id}`);
  return { charged: total };
}

export async function checkout(idText) {
  const order = await getOrder(idText);
  const stock = await reserveStock(order);
  return { ...chargeCard(order, order.total), ...stock };
}
