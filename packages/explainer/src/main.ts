// The page: reads the form, runs explain.ts, and draws every step with the parts that feed it.
import type { ParsedHttpRequest, SignResult, TraceStep, TraceStepId } from '@glassbox/sigv4';
import { COMPARE_EXAMPLE, EXAMPLES } from './examples.ts';
import {
  canonicalLineNames,
  compareCanonical,
  compareInputs,
  compareLines,
  explain,
  FEEDS,
  summarize,
  SUITE_SETTINGS,
  type CanonicalLine,
  type CompareRow,
  type CompareSide,
  type Part,
  type Settings,
} from './explain.ts';
import { describeProblem } from './plain-errors.ts';
import type { Verdict } from './verdict.ts';

const $ = <T extends HTMLElement = HTMLElement>(selector: string): T => {
  const element = document.querySelector<T>(selector);
  if (element === null) throw new Error(`explainer: missing ${selector}`);
  return element;
};

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; part?: Part | undefined; text?: string } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  if (props.part) element.dataset.part = props.part;
  if (props.text !== undefined) element.textContent = props.text;
  element.append(...children);
  return element;
}

// ---- settings ---------------------------------------------------------------------------------

const fields = {
  accessKeyId: () => $<HTMLInputElement>('#s-access-key'),
  secretAccessKey: () => $<HTMLInputElement>('#s-secret'),
  sessionToken: () => $<HTMLInputElement>('#s-token'),
  signSessionToken: () => $<HTMLInputElement>('#s-sign-token'),
  region: () => $<HTMLInputElement>('#s-region'),
  service: () => $<HTMLInputElement>('#s-service'),
  date: () => $<HTMLInputElement>('#s-date'),
  s3: () => $<HTMLInputElement>('#s-s3'),
  unsignedPayload: () => $<HTMLInputElement>('#s-unsigned'),
  contentSha256Header: () => $<HTMLInputElement>('#s-content-sha'),
} satisfies Record<keyof Settings, () => HTMLInputElement>;

function readSettings(): Settings {
  const out = { ...SUITE_SETTINGS };
  for (const key of Object.keys(fields) as (keyof Settings)[]) {
    const input = fields[key]();
    (out as Record<string, string | boolean>)[key] = input.type === 'checkbox' ? input.checked : input.value;
  }
  return out;
}

function writeSettings(settings: Partial<Settings>): void {
  for (const [key, value] of Object.entries(settings) as [keyof Settings, string | boolean][]) {
    const input = fields[key]();
    if (typeof value === 'boolean') input.checked = value;
    else input.value = value;
  }
}

// ---- the request as read -------------------------------------------------------------------------

const PART_OF_STEP: Partial<Record<TraceStepId, Part>> = {
  'signing-time': 'time',
  'headers-to-sign': 'headers',
  'canonical-uri': 'path',
  'canonical-query': 'query',
  'canonical-headers': 'headers',
  'signed-headers': 'headers',
  'payload-hash': 'body',
  'credential-scope': 'scope',
  'signing-key': 'secret',
};

const LINE_PART: Record<CanonicalLine, Part> = {
  method: 'method',
  'canonical URI': 'path',
  'canonical query string': 'query',
  'canonical header': 'headers',
  'end of headers': 'headers',
  'signed headers': 'headers',
  'payload hash': 'body',
};

function headerPart(name: string): Part {
  const lower = name.toLowerCase();
  if (lower === 'x-amz-date') return 'time';
  if (lower === 'x-amz-security-token') return 'token';
  return 'headers';
}

function renderRequestView(request: ParsedHttpRequest, result: SignResult, trace: readonly TraceStep[], pasted: boolean): void {
  const view = $('#request-view');
  view.replaceChildren();
  const decisions = trace.find((s) => s.id === 'headers-to-sign')?.inputs ?? {};
  const match = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*)?([^?]*)(\?.*)?$/s.exec(request.url);
  const origin = match?.[1] ?? '';
  const path = match?.[2] ?? request.url;
  const query = match?.[3] ?? '';
  view.append(el('span', { class: 'seg', part: 'method', text: request.method }), ' ', origin);
  view.append(el('span', { class: 'seg', part: 'path', text: path }));
  if (query) view.append(el('span', { class: 'seg', part: 'query', text: query }));
  view.append(' HTTP/1.1\n');
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(request.headers)) {
    seen.add(name.toLowerCase());
    for (const one of Array.isArray(value) ? value : [value]) {
      const decided = decisions[name.toLowerCase()] ?? 'signed';
      // A signed request is signed over its own SignedHeaders: the page excluded the rest for it.
      const reason =
        name.toLowerCase() === 'authorization'
          ? 'the signature being checked: never part of what it signs'
          : pasted && decided === 'not signed: excluded by the caller'
            ? 'not in the pasted SignedHeaders'
            : decided;
      const line = el('span', {
        class: `seg hdr${reason === 'signed' ? '' : ' unsigned'}`,
        part: headerPart(name),
        text: `${name}:${one}`,
      });
      view.append(line);
      if (reason !== 'signed') view.append(' ', el('span', { class: 'note', text: `(${reason})` }));
      view.append('\n');
    }
  }
  for (const [name, value] of Object.entries(result.request.headers)) {
    if (seen.has(name.toLowerCase()) || name.toLowerCase() === 'authorization') continue;
    const shown = name.toLowerCase() === 'x-amz-security-token' ? '[session token]' : Array.isArray(value) ? value.join(',') : value;
    view.append(
      el('span', { class: 'seg hdr', part: headerPart(name), text: `${name}:${shown}` }),
      ' ',
      el('span', { class: 'note', text: '(added by the signer)' }),
      '\n',
    );
  }
  if (request.body !== undefined && request.body !== '') {
    view.append('\n', el('span', { class: 'seg', part: 'body', text: request.body }));
  } else {
    view.append(el('span', { class: 'note', part: 'body', text: '(no body)' }));
  }
}

// ---- the steps ----------------------------------------------------------------------------------

const STEP_NAMES: Partial<Record<TraceStepId, string>> = {};
const PART_LABEL: Record<Part, string> = {
  method: 'method',
  path: 'path',
  query: 'query',
  headers: 'headers',
  time: 'time',
  body: 'body',
  scope: 'region + service',
  key: 'access key ID',
  secret: 'secret key',
  token: 'session token',
};

function lines(text: string, partOf: (index: number, all: string[]) => { part?: Part | undefined; tag: string }): HTMLElement {
  const pre = el('pre', { class: 'output' });
  const all = text.split('\n');
  all.forEach((line, index) => {
    const { part, tag } = partOf(index, all);
    const row = el('span', { class: 'ln', part }, el('span', { class: 'tag', text: tag }), line);
    if (index < all.length - 1) row.append(el('span', { class: 'nl', text: '↵' }));
    pre.append(row);
  });
  return pre;
}

function outputFor(step: TraceStep, result: SignResult): HTMLElement {
  if (step.id === 'canonical-request') {
    const names = canonicalLineNames(result.canonicalRequest.split('\n'));
    return lines(step.output, (i) => ({ part: LINE_PART[names[i]!], tag: names[i]! }));
  }
  if (step.id === 'string-to-sign') {
    const tags: [Part | undefined, string][] = [
      [undefined, 'algorithm'],
      ['time', 'time'],
      ['scope', 'credential scope'],
      [undefined, 'hash of the canonical request'],
    ];
    return lines(step.output, (i) => ({ part: tags[i]?.[0], tag: tags[i]?.[1] ?? '' }));
  }
  if (step.id === 'canonical-headers') return lines(step.output, () => ({ part: 'headers', tag: '' }));
  if (step.id === 'authorization') {
    const pre = el('pre', { class: 'output' });
    const m = /^(\S+) Credential=([^/]+)\/(\S+), SignedHeaders=(\S+), Signature=(\S+)$/.exec(step.output);
    if (!m) pre.textContent = step.output;
    else {
      pre.append(`${m[1]} Credential=${m[2]}/`, el('span', { class: 'seg', part: 'scope', text: m[3]! }), ', SignedHeaders=');
      pre.append(el('span', { class: 'seg', part: 'headers', text: m[4]! }), ', Signature=', el('span', { class: 'seg sig', text: m[5]! }));
    }
    return pre;
  }
  return el('pre', { class: 'output', text: step.output });
}

function renderSteps(trace: readonly TraceStep[], result: SignResult): void {
  const list = $('#steps');
  list.replaceChildren();
  for (const step of trace) STEP_NAMES[step.id] = step.title.replace(/ \(step [^)]*\)$/, '');
  trace.forEach((step, index) => {
    const headingId = `step-${step.id}`;
    const item = el('li', { class: 'step', part: PART_OF_STEP[step.id] });
    item.dataset.step = step.id;
    item.tabIndex = 0;
    item.setAttribute('aria-labelledby', headingId);
    const heading = el('h3', {}, el('span', { class: 'n', text: `${index + 1}.` }), step.title);
    heading.id = headingId;
    item.append(heading, el('p', { class: 'why', text: step.explanation }));
    const feeds = FEEDS[step.id];
    if (feeds && feeds.parts.length + feeds.steps.length > 0) {
      const row = el('p', { class: 'feeds' }, 'Fed by:');
      for (const part of feeds.parts) row.append(el('span', { class: 'chip', part, text: PART_LABEL[part] }));
      for (const id of feeds.steps) row.append(el('span', { class: 'chip', part: PART_OF_STEP[id], text: STEP_NAMES[id] ?? id }));
      item.append(row);
    }
    const inputs = Object.entries(step.inputs);
    if (inputs.length > 0) {
      const dl = el('dl');
      for (const [name, value] of inputs) dl.append(el('dt', { text: name }), el('dd', { text: value }));
      item.append(dl);
    }
    item.append(outputFor(step, result));
    list.append(item);
  });
}

// ---- highlighting what feeds a step ---------------------------------------------------------------

function clearHighlight(): void {
  for (const lit of document.querySelectorAll('.lit-part')) lit.classList.remove('lit-part');
  for (const lit of document.querySelectorAll('.step.lit, .step.focused')) lit.classList.remove('lit', 'focused');
  $('#steps').classList.remove('focusing');
}

function highlight(step: HTMLElement): void {
  clearHighlight();
  const id = step.dataset.step as TraceStepId;
  const feeds = FEEDS[id] ?? { parts: [], steps: [] };
  step.classList.add('focused');
  $('#steps').classList.add('focusing');
  for (const part of feeds.parts) {
    const selector =
      part === 'headers' ? '#request-view .hdr' : `#request-view [data-part="${part}"], #explain-form .field[data-part="${part}"]`;
    for (const target of document.querySelectorAll(selector)) target.classList.add('lit-part');
  }
  for (const feeder of feeds.steps) document.querySelector(`.step[data-step="${feeder}"]`)?.classList.add('lit');
}

function wireHighlighting(): void {
  const list = $('#steps');
  const stepOf = (event: Event): HTMLElement | null =>
    event.target instanceof Element ? event.target.closest<HTMLElement>('.step') : null;
  list.addEventListener('focusin', (event) => {
    const step = stepOf(event);
    if (step) highlight(step);
  });
  list.addEventListener('focusout', () => clearHighlight());
  list.addEventListener('mouseover', (event) => {
    const step = stepOf(event);
    if (step && !step.classList.contains('focused')) highlight(step);
  });
  list.addEventListener('mouseleave', () => {
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.closest<HTMLElement>('.step') : null;
    if (focused) highlight(focused);
    else clearHighlight();
  });
}

// ---- the verdict on a pasted signature ------------------------------------------------------------

function renderVerdict(verdict: Verdict | undefined): void {
  const box = $('#verdict');
  box.replaceChildren();
  box.hidden = verdict === undefined;
  if (verdict === undefined) return;
  box.dataset.match = String(verdict.match);
  box.append(
    el('p', {}, el('strong', { text: verdict.match ? 'Match. ' : `Differs at the ${verdict.step ?? 'signature'}. ` }), verdict.text),
  );
  const row = verdict.row;
  if (row === undefined) return;
  const table = el('table', { class: 'compare' });
  const side = (label: string, line: CompareRow['a'], chars: CompareRow['charsA']): HTMLElement =>
    el(
      'tr',
      { class: row.kind },
      el('th', { text: label }),
      row.kind === 'changed' ? charsCell(chars, row.whole) : lineCell(line),
      el('td', { class: 'name', text: (row.a ?? row.b)!.name }),
    );
  table.append(
    el('caption', { class: 'visually-hidden', text: 'The first differing line' }),
    side('This page', row.a, row.charsA),
    side('Pasted', row.b, row.charsB),
  );
  box.append(table);
}

// ---- explain mode --------------------------------------------------------------------------------

let generation = 0;

async function update(): Promise<void> {
  const mine = ++generation;
  const results = $('#results');
  results.dataset.busy = 'true';
  const explained = await explain($<HTMLTextAreaElement>('#raw').value, readSettings());
  if (mine !== generation) return; // a newer edit is on its way
  const status = $('#status');
  if (explained.ok) {
    status.className = 'status ok';
    status.textContent = `Signed: ${explained.result.signature.slice(0, 16)}… over ${explained.result.signedHeaders.split(';').length} headers.`;
    renderRequestView(explained.request, explained.result, explained.trace, explained.verdict !== undefined);
    renderSteps(explained.trace, explained.result);
    renderVerdict(explained.verdict);
    $('#raw').removeAttribute('aria-invalid');
  } else {
    // The steps below belong to the last request that could be read: greyed, out of the tab order,
    // and said to be stale, so nobody reads them as this text's.
    status.className = 'status error';
    status.textContent = `${describeProblem(explained.problem)} The steps below are from the last request that could be read.`;
    if (explained.problem.line !== undefined) $('#raw').setAttribute('aria-invalid', 'true');
    renderVerdict(undefined);
  }
  for (const stale of [$('#steps'), $('#request-view')]) {
    stale.toggleAttribute('inert', !explained.ok);
    if (explained.ok) stale.removeAttribute('aria-disabled');
    else stale.setAttribute('aria-disabled', 'true');
  }
  results.dataset.busy = 'false';
  results.dataset.state = explained.ok ? 'signed' : 'error';
  if (compareActive()) void updateCompare();
}

let timer: ReturnType<typeof setTimeout> | undefined;
function scheduleUpdate(): void {
  $('#results').dataset.busy = 'true';
  clearTimeout(timer);
  timer = setTimeout(() => void update(), 80);
}

// The form editor writes the raw text; the raw text is what is signed, so both views always agree.
function formToRaw(): void {
  const method = $<HTMLSelectElement>('#f-method').value;
  const url = $<HTMLInputElement>('#f-url').value.trim();
  const headerLines = $<HTMLTextAreaElement>('#f-headers')
    .value.split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const body = $<HTMLTextAreaElement>('#f-body').value;
  const absolute = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s.exec(url);
  const target = absolute ? absolute[3] || '/' : url || '/';
  const hasHost = headerLines.some((l) => /^host\s*:/i.test(l));
  const head = [
    `${method} ${target} HTTP/1.1`,
    ...(absolute && !hasHost ? [`Host:${absolute[2]}`] : []),
    ...headerLines.map((l) => l.replace(/^([^:]+):\s*/, '$1:')),
  ];
  $<HTMLTextAreaElement>('#raw').value = body === '' ? head.join('\n') : `${head.join('\n')}\n\n${body}`;
}

function rawToForm(): void {
  const text = $<HTMLTextAreaElement>('#raw').value.replace(/\r\n/g, '\n');
  const blank = text.indexOf('\n\n');
  const head = blank === -1 ? text : text.slice(0, blank);
  const [requestLine = '', ...headerLines] = head.split('\n');
  const first = requestLine.indexOf(' ');
  const last = requestLine.lastIndexOf(' ');
  const method = first > 0 ? requestLine.slice(0, first) : 'GET';
  const target = first > 0 ? requestLine.slice(first + 1, last > first ? last : undefined) : '/';
  const hostLine = headerLines.find((l) => /^host\s*:/i.test(l));
  const host = hostLine?.slice(hostLine.indexOf(':') + 1).trim();
  const select = $<HTMLSelectElement>('#f-method');
  if (![...select.options].some((o) => o.value === method)) select.append(el('option', { text: method }));
  select.value = method;
  $<HTMLInputElement>('#f-url').value = host ? `https://${host}${target}` : target;
  $<HTMLTextAreaElement>('#f-headers').value = headerLines
    .filter((l) => l !== hostLine)
    .map((l) => l.replace(/^([^:]+):\s*/, '$1: '))
    .join('\n');
  $<HTMLTextAreaElement>('#f-body').value = blank === -1 ? '' : text.slice(blank + 2);
}

function wireExplain(): void {
  const select = $<HTMLSelectElement>('#example');
  for (const example of EXAMPLES) {
    const option = el('option', { text: example.label });
    option.value = example.id;
    select.append(option);
  }
  const load = (id: string): void => {
    const example = EXAMPLES.find((e) => e.id === id) ?? EXAMPLES[0]!;
    $<HTMLTextAreaElement>('#raw').value = example.text;
    writeSettings(example.settings);
    rawToForm();
    scheduleUpdate();
  };
  select.addEventListener('change', () => load(select.value));
  $('#raw').addEventListener('input', scheduleUpdate);
  for (const id of ['#f-method', '#f-url', '#f-headers', '#f-body']) {
    $(id).addEventListener('input', () => {
      formToRaw();
      scheduleUpdate();
    });
  }
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="input-mode"]')) {
    radio.addEventListener('change', () => {
      const form = radio.value === 'form' && radio.checked;
      if (form) rawToForm();
      $('#form-editor').hidden = !form;
      $('#raw-editor').hidden = form;
    });
  }
  $('#explain-form').addEventListener('input', (event) => {
    if (event.target instanceof HTMLElement && event.target.closest('.field, .check') && !event.target.closest('#raw-editor, #form-editor'))
      scheduleUpdate();
  });
  $('#explain-form').addEventListener('submit', (event) => event.preventDefault());
  writeSettings(SUITE_SETTINGS);
  load(EXAMPLES[0]!.id);
}

// ---- compare mode --------------------------------------------------------------------------------

function compareActive(): boolean {
  return !$('#panel-compare').hidden;
}

function charsCell(chars: CompareRow['charsA'], whole?: boolean): HTMLElement {
  // A hash differs as one value: marked whole, and said so to a screen reader.
  const td = el('td', whole ? { class: 'whole' } : {});
  if (whole) td.title = 'A hash: the whole value differs';
  for (const piece of chars ?? []) td.append(piece.differs ? el('mark', { text: piece.text }) : piece.text);
  return td;
}

// An empty line (no query, the end of the headers) is shown as such rather than as nothing.
function lineCell(line: CompareRow['a']): HTMLElement {
  if (line === undefined) return el('td', { class: 'empty', text: '—' });
  return line.text === '' ? el('td', {}, el('span', { class: 'empty', text: '(empty line)' })) : el('td', { text: line.text });
}

async function updateCompare(): Promise<void> {
  const table = $('#compare-table');
  table.dataset.busy = 'true';
  const inputs = await compareInputs(
    $<HTMLTextAreaElement>('#compare-a').value,
    $<HTMLTextAreaElement>('#compare-b').value,
    readSettings(),
  );
  const status = $('#compare-status');
  const causeBox = $('#compare-cause');
  const body = table.querySelector('tbody')!;
  body.replaceChildren();
  const hashes = $('#compare-hashes');
  hashes.hidden = true;
  hashes.parentElement!.hidden = true;
  hashes.querySelector('tbody')!.replaceChildren();
  $('#compare-basis').replaceChildren();
  causeBox.replaceChildren();
  causeBox.hidden = true;
  if (!inputs.ok) {
    status.className = 'status error';
    status.textContent = inputs.error;
    table.dataset.busy = 'false';
    return;
  }
  if (inputs.cause) {
    causeBox.hidden = false;
    causeBox.append(
      el('p', {}, el('strong', { text: 'Likely cause: ' }), el('code', { text: inputs.cause.code }), ` — ${inputs.cause.message}`),
      el('p', {}, el('strong', { text: 'Fix: ' }), inputs.cause.fix),
    );
    if (inputs.reconstruction)
      causeBox.append(el('p', { class: 'reconstruction' }, el('strong', { text: 'What your client signed: ' }), inputs.reconstruction));
  }
  if (inputs.b === undefined) {
    status.className = 'status error';
    status.textContent = 'The error body quotes no canonical request; its message names the cause below.';
    table.dataset.busy = 'false';
    return;
  }
  renderBasis(inputs.sideA, inputs.sideB);
  const rows = compareCanonical(inputs.a, inputs.b);
  fillRows(body, rows);
  renderHashes(inputs.sideA, inputs.sideB);
  status.className = rows.every((r) => r.kind === 'same') ? 'status ok' : 'status error';
  status.textContent = summarize(rows);
  table.dataset.busy = 'false';
}

/** What each side was reduced with: its own signature's SignedHeaders and scope, or the first tab's settings. */
function renderBasis(a: CompareSide | undefined, b: CompareSide | undefined): void {
  const basis = $('#compare-basis');
  if (a) basis.append(el('li', {}, el('strong', { text: 'A: ' }), a.basis));
  if (b) basis.append(el('li', {}, el('strong', { text: 'B: ' }), b.basis));
}

/** Then the string to sign and the signature, when both sides have them: hashes compared as whole values. */
function renderHashes(a: CompareSide | undefined, b: CompareSide | undefined): void {
  if (a?.stringToSign === undefined || b?.stringToSign === undefined) return;
  const rows = compareLines(`${a.stringToSign}\n${a.signature ?? ''}`, `${b.stringToSign}\n${b.signature ?? ''}`, 'string-to-sign');
  fillRows($('#compare-hashes tbody'), rows);
  $('#compare-hashes').hidden = false;
  $('#compare-hashes').parentElement!.hidden = false;
}

function fillRows(body: HTMLElement, rows: readonly CompareRow[]): void {
  for (const row of rows) {
    const tr = el('tr', { class: row.kind });
    tr.dataset.line = (row.a ?? row.b)!.name;
    const mark = el('td', { class: 'mark' });
    if (row.kind !== 'same') {
      mark.append(el('span', { text: row.kind === 'changed' ? '≠' : row.kind === 'only-a' ? '−' : '+' }));
      mark.append(
        el('span', {
          class: 'visually-hidden',
          text: row.kind === 'changed' ? 'differs' : row.kind === 'only-a' ? 'only in A' : 'only in B',
        }),
      );
    }
    const aCell = row.kind === 'changed' ? charsCell(row.charsA, row.whole) : lineCell(row.a);
    const bCell = row.kind === 'changed' ? charsCell(row.charsB, row.whole) : lineCell(row.b);
    tr.append(
      el('td', { class: 'num', text: row.a ? String(row.a.number) : '' }),
      aCell,
      mark,
      el('td', { class: 'num', text: row.b ? String(row.b.number) : '' }),
      bCell,
      el('td', { class: 'name', text: (row.a ?? row.b)!.name }),
    );
    body.append(tr);
  }
}

let compareTimer: ReturnType<typeof setTimeout> | undefined;
function wireCompare(): void {
  $<HTMLTextAreaElement>('#compare-a').value = COMPARE_EXAMPLE.a;
  $<HTMLTextAreaElement>('#compare-b').value = COMPARE_EXAMPLE.b;
  for (const id of ['#compare-a', '#compare-b']) {
    $(id).addEventListener('input', () => {
      $('#compare-table').dataset.busy = 'true';
      clearTimeout(compareTimer);
      compareTimer = setTimeout(() => void updateCompare(), 80);
    });
  }
}

// ---- tabs (WAI-ARIA tabs pattern: arrows, Home, End) --------------------------------------------------

function wireTabs(): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const select = (tab: HTMLButtonElement, focus: boolean): void => {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      $(`#${other.getAttribute('aria-controls')!}`).hidden = !selected;
    }
    if (focus) tab.focus();
    if (compareActive()) void updateCompare();
  };
  tabs.forEach((tab, index) => {
    tab.addEventListener('click', () => select(tab, false));
    tab.addEventListener('keydown', (event) => {
      const next =
        event.key === 'ArrowRight'
          ? index + 1
          : event.key === 'ArrowLeft'
            ? index - 1
            : event.key === 'Home'
              ? 0
              : event.key === 'End'
                ? tabs.length - 1
                : undefined;
      if (next === undefined) return;
      event.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length]!, true);
    });
  });
}

wireTabs();
wireHighlighting();
wireCompare();
wireExplain();
