// A fake database: every query waits a little, like a real one; order 25, 50, ... is a slow query.
const ORDERS = new Map(Array.from({ length: 40 }, (_, i) => [i + 1, { id: i + 1, items: 1 + (i % 4), unitPrice: 5 + (i % 7) }]));

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function findOrder(id) {
  await wait(id % 25 === 0 ? 120 : 1);
  return ORDERS.get(id) ?? null;
}

export async function reserveStock(order) {
  await wait(2);
  return { reserved: order.items };
}
