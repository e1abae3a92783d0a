import { h, notice } from '../dom.js';

export function mount(el, route) {
  el.append(notice(`There is no page at “${route.path}”.`), h('p', {}, h('a', { href: '#/projects' }, 'Go to the projects')));
  return {};
}
