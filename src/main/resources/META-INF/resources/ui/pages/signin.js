// Sign-in: the API key is checked with one query, then kept for this tab only (sessionStorage).
import { apiKey } from '../api.js';
import { checkKey } from '../data.js';
import { go, h, notice } from '../dom.js';

export function mount(el, route) {
  const input = h('input', { type: 'password', name: 'key', placeholder: 'tgq_…', autocomplete: 'off', required: true, size: 48 });
  const status = h('div', { class: 'status' });
  const form = h('form', { class: 'signin', onsubmit: submit },
    h('h1', {}, 'Sign in'),
    h('p', {}, 'Paste an API key of your tenant. It is kept in this browser tab only.'),
    h('label', {}, 'API key ', input),
    h('button', { type: 'submit' }, 'Sign in'),
    status,
  );
  if (route.params?.get('refused')) status.append(notice('Your API key is no longer accepted (it may have been revoked): sign in again.'));
  el.append(form);
  input.focus();

  async function submit(event) {
    event.preventDefault();
    const key = input.value.trim();
    status.replaceChildren(h('p', { class: 'muted' }, 'Checking the key…'));
    try {
      await checkKey(key);
    } catch (e) {
      const why = e.code === 'UNAUTHENTICATED' ? `This API key was not accepted: ${e.message}.` : `The key could not be checked: ${e.message}`;
      status.replaceChildren(notice(why));
      return;
    }
    apiKey.set(key);
    const back = route.params?.get('next');
    go(back && back.startsWith('#/') ? back : '#/projects');
  }
  return {};
}
