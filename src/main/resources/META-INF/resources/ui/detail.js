// The detail panel of a run: figures, error, inputs and outputs (as a chat when they are chat
// messages, JSON otherwise), metadata, tags, events and feedback.
import { feedbackText, fmt, h } from './dom.js';

const ROLES = { human: 'user', ai: 'assistant', humanmessage: 'user', aimessage: 'assistant', systemmessage: 'system', toolmessage: 'tool' };

/** The chat messages a payload holds (OpenAI, LangChain and LangChain-serialized shapes), or null. */
export function asMessages(value) {
  if (!value || typeof value !== 'object') return null;
  let list = Array.isArray(value) ? value
    : value.messages ?? value.choices?.map((c) => c.message)
      ?? value.generations?.flat().map((g) => g.message ?? (typeof g.text === 'string' ? { role: 'assistant', content: g.text } : null));
  if (!Array.isArray(list)) return null;
  list = list.flat();
  const messages = list.map(toMessage);
  return messages.length > 0 && messages.every(Boolean) ? messages : null;
}

function toMessage(m) {
  if (!m || typeof m !== 'object') return null;
  const fields = m.kwargs ?? m.data ?? m;
  const serializedType = Array.isArray(m.id) ? String(m.id[m.id.length - 1]).replace(/Chunk$/, '') : null;
  const role = String(fields.role ?? m.role ?? fields.type ?? serializedType ?? '').toLowerCase();
  if (!role || fields.content === undefined) return null;
  return { role: ROLES[role] ?? role, content: fields.content, toolCalls: fields.tool_calls ?? fields.additional_kwargs?.tool_calls };
}

function content(value) {
  if (typeof value === 'string') return h('div', { class: 'text' }, value);
  if (Array.isArray(value)) return value.map((part) => (part?.type === 'text' ? h('div', { class: 'text' }, part.text) : json(part)));
  return json(value);
}

function json(value) {
  return h('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}

/** Inputs or outputs: a chat when they are messages, JSON otherwise. */
export function payload(value) {
  if (value === null || value === undefined) return h('p', { class: 'muted' }, 'none');
  const messages = asMessages(value);
  if (!messages) return json(value);
  return h('ol', { class: 'chat' }, messages.map((m) => h('li', { class: `message ${m.role}` },
    h('span', { class: 'role' }, m.role), content(m.content), m.toolCalls?.length ? json(m.toolCalls) : null)));
}

function section(name, ...body) {
  return h('section', { class: 'detail-section', dataset: { section: name.toLowerCase() } }, h('h3', {}, name), ...body);
}

/** A total with its prompt and completion parts, when there are parts. */
function split(format, total, prompt, completion) {
  if (prompt == null && completion == null) return format(total);
  return `${format(total)} (${format(prompt)} in, ${format(completion)} out)`;
}

export function detailPanel(run) {
  const model = run.metadata?.ls_model_name ?? run.metadata?.model ?? null;
  const figures = [
    ['Type', fmt.status(run.runType)], ['Status', fmt.status(run.status)], ['Start', fmt.time(run.startTime)],
    ['Latency', fmt.seconds(run.latencySeconds)],
    ['Tokens', split(fmt.count, run.totalTokens, run.promptTokens, run.completionTokens)],
    ['Cost', split(fmt.cost, run.totalCost, run.promptCost, run.completionCost)],
    ['Model', model ?? '—'],
  ];
  return h('article', { class: 'detail', id: 'detail', dataset: { id: run.id } },
    h('h2', {}, run.name ?? run.id),
    h('dl', { class: 'figures' }, figures.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', { dataset: { figure: k.toLowerCase() } }, v)))),
    run.error ? section('Error', h('pre', { class: 'error-text' }, run.error)) : null,
    section('Inputs', payload(run.inputs)),
    section('Outputs', payload(run.outputs)),
    run.feedbackStats?.length ? section('Feedback', h('p', {}, feedbackText(run.feedbackStats))) : null,
    run.tags?.length ? section('Tags', h('p', {}, run.tags.map((t) => h('span', { class: 'chip' }, t)))) : null,
    run.metadata && Object.keys(run.metadata).length ? section('Metadata', json(run.metadata)) : null,
    run.events?.length ? section(`Events`, json(run.events)) : null);
}
