// Acknowledging an alert (operator and admin): a note, then POST .../ack; who and when come back.
import { may, post } from './api.js';
import { clear, h, time } from './dom.js';

export function ackState(a) {
  if (!a.ack) return h('span', { class: 'open' }, 'open');
  return h('span', { class: 'acked' }, 'acknowledged by ', h('strong', null, a.ack.by), ' ', time(a.ack.at),
    a.ack.note ? h('span', { class: 'note' }, ': ' + a.ack.note) : null);
}

/** The ack cell: the state, plus for an open alert and a role that may, the button and its note form. */
export function ackCell(a, session, onAcked) {
  const box = h('div', { class: 'ack', 'data-alert': a.id });
  function show() {
    clear(box).append(ackState(a));
    if (!a.ack && may(session, 'operator')) {
      box.append(' ', h('button', { type: 'button', 'data-action': 'ack', onclick: form }, 'Acknowledge'));
    }
  }
  function form() {
    const id = 'note-' + a.id;
    const note = h('input', { id, name: 'note', maxlength: 500, placeholder: 'what was done' });
    const status = h('span', { role: 'status' });
    clear(box).append(h('form', {
      class: 'ack-form',
      onsubmit: async (ev) => {
        ev.preventDefault();
        status.textContent = 'saving...';
        try {
          Object.assign(a, await post('/api/v1/alerts/' + a.id + '/ack', { note: note.value }));
          show();
          if (onAcked) onAcked(a);
        } catch (e) {
          status.textContent = e.message;
        }
      },
    }, h('label', { for: id }, 'Note'), note, h('button', { type: 'submit', 'data-action': 'ack-save' }, 'Save'),
    h('button', { type: 'button', onclick: show }, 'Cancel'), status));
    note.focus();
  }
  show();
  return box;
}
