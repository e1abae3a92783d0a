// Transport to the public GraphQL API: queries over HTTP POST, subscriptions over one WebSocket
// speaking graphql-transport-ws. Knows nothing of the pages.

const KEY_STORAGE = 'tracegql.apiKey';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY_STORAGE),
  set: (key) => sessionStorage.setItem(KEY_STORAGE, key),
  clear: () => sessionStorage.removeItem(KEY_STORAGE),
};

/** An error the API reported; code is its extensions.code (UNAUTHENTICATED, BAD_USER_INPUT...). */
export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/** Runs a query and resolves to its data; rejects with an ApiError carrying the first error. */
export async function query(document, variables = {}, { key = apiKey.get() } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (key) headers['x-api-key'] = key;
  let response;
  try {
    response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query: document, variables }) });
  } catch (e) {
    throw new ApiError('the gateway cannot be reached: ' + e.message, 'NETWORK');
  }
  const body = await response.json().catch(() => null);
  if (!body) throw new ApiError(`the gateway answered HTTP ${response.status} without a GraphQL body`, 'HTTP');
  if (body.errors?.length) {
    const first = body.errors[0];
    const code = first.extensions?.code ?? 'ERROR';
    // The tab's key stopped working (revoked): the router sends the user back to sign in.
    if (code === 'UNAUTHENTICATED' && key && key === apiKey.get()) window.dispatchEvent(new CustomEvent('tracegql:key-refused'));
    throw new ApiError(first.message, code);
  }
  return body.data;
}

// One socket for every subscription of the page, opened on first use and closed with the last one.
let socket = null;
let acknowledged = null;
let nextId = 1;
const active = new Map();

function open() {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  socket = new WebSocket(url, 'graphql-transport-ws');
  const current = socket;
  acknowledged = new Promise((resolve, reject) => {
    current.onopen = () => current.send(JSON.stringify({ type: 'connection_init', payload: { 'x-api-key': apiKey.get() } }));
    current.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'connection_ack') resolve();
      else if (message.type === 'ping') current.send(JSON.stringify({ type: 'pong' }));
      else deliver(message);
    };
    current.onclose = (event) => {
      reject(new ApiError(event.reason || 'the live connection closed', 'CLOSED'));
      if (socket === current) lost();
    };
  });
  acknowledged.catch(() => {});
}

function deliver(message) {
  const sub = active.get(message.id);
  if (!sub) return;
  if (message.type === 'next') {
    if (message.payload.errors?.length) sub.handlers.error?.(new ApiError(message.payload.errors[0].message, message.payload.errors[0].extensions?.code));
    else sub.handlers.next(message.payload.data);
  } else if (message.type === 'error') {
    sub.handlers.error?.(new ApiError(message.payload?.[0]?.message ?? 'subscription refused', 'ERROR'));
    active.delete(message.id);
  } else if (message.type === 'complete') {
    active.delete(message.id);
  }
}

// Changes made while the socket was down are not replayed: subscribe again and let each
// subscriber refetch what it shows.
function lost() {
  socket = null;
  if (active.size === 0) return;
  setTimeout(() => {
    if (active.size === 0 || socket) return;
    open();
    for (const [id, sub] of active) start(id, sub);
    for (const sub of active.values()) sub.handlers.reconnected?.();
  }, 1000);
}

function start(id, sub) {
  acknowledged.then(() => socket.send(JSON.stringify({ id, type: 'subscribe', payload: sub.payload })), () => {});
}

/** Subscribes; handlers are next(data), error(ApiError), reconnected(). Returns the unsubscribe function. */
export function subscribe(document, variables, handlers) {
  if (!socket) open();
  const id = String(nextId++);
  const sub = { payload: { query: document, variables }, handlers };
  active.set(id, sub);
  start(id, sub);
  return () => {
    if (!active.delete(id)) return;
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id, type: 'complete' }));
    if (active.size === 0 && socket) {
      const closing = socket;
      socket = null;
      closing.close(1000, 'no subscriptions');
    }
  };
}
