// The npm `ollama` and `openai` clients, as a user would write them, against a running fleet's gateway.
// Usage: node clients-test.mjs <gateway-url> <api-key> <chat-model>
// Prints one JSON summary line; exits 1 (with the failed check on stderr) when any check fails.
import { Ollama } from 'ollama';
import OpenAI from 'openai';

const [gateway, key, chatModel] = process.argv.slice(2);
if (!gateway || !key || !chatModel) {
  console.error('usage: node clients-test.mjs <gateway-url> <api-key> <chat-model>');
  process.exit(2);
}
const summary = {};
function check(cond, what) {
  if (!cond) {
    throw new Error('check failed: ' + what + '\nsummary so far: ' + JSON.stringify(summary));
  }
}

async function ollamaChecks() {
  const ollama = new Ollama({ host: gateway, headers: { Authorization: `Bearer ${key}` } });
  const e = await ollama.embed({ model: 'all-minilm', input: ['forklift operator', 'picker packer'] });
  check(e.embeddings.length === 2 && e.embeddings[0].length === 384, 'ollama.embed: two 384-d vectors');
  summary.ollama_embed_model = e.model;
  const legacy = await ollama.embeddings({ model: 'all-minilm:22m', prompt: 'forklift operator' });
  check(legacy.embedding.length === 384, 'ollama.embeddings (legacy): one 384-d vector');
  const same = legacy.embedding.every((v, i) => Math.abs(v - e.embeddings[0][i]) < 1e-6);
  check(same, 'all-minilm and all-minilm:22m are the same model');
  const list = await ollama.list();
  const names = list.models.map((m) => m.name);
  summary.ollama_tags = names;
  check(names.includes('all-minilm-l6-v2:latest'), 'ollama.list has the embedding model');
  check(names.includes(chatModel), 'ollama.list has the chat model ' + chatModel);
  const show = await ollama.show({ model: 'all-minilm' });
  check((show.capabilities || []).includes('embedding'), 'ollama.show: the embedding capability');
  const version = await ollama.version();
  check(/^\d+\.\d+\.\d+/.test(version.version), 'ollama.version');
  const ps = await ollama.ps();
  check(ps.models.some((m) => m.name === 'all-minilm-l6-v2:latest'), 'ollama.ps lists the loaded local model');

  let text = '';
  let last = null;
  const stream = await ollama.chat({ model: chatModel, messages: [{ role: 'user', content: 'confirm the shift' }], stream: true });
  for await (const part of stream) {
    text += part.message.content;
    last = part;
  }
  summary.ollama_chat = text;
  check(text.length > 0, 'ollama.chat streamed content');
  check(last && last.done === true && last.done_reason === 'stop', 'ollama.chat ends with done/done_reason');
  check(last.eval_count > 0 && last.prompt_eval_count > 0 && last.total_duration > 0, 'ollama.chat counts and durations');
  const gen = await ollama.generate({ model: chatModel, prompt: 'confirm the shift', stream: false });
  check(gen.response === text && gen.done === true, 'ollama.generate (no stream) answers the same text');
  summary.ollama = 'ok';
}

async function openaiChecks() {
  const openai = new OpenAI({ baseURL: `${gateway}/v1`, apiKey: key });
  const models = [];
  for await (const m of openai.models.list()) {
    models.push(m);
  }
  summary.openai_models = models.map((m) => `${m.id} (${m.owned_by})`);
  check(models.some((m) => m.id === 'all-minilm-l6-v2' && m.owned_by === 'local'), 'models.list has the embedding model');
  check(models.some((m) => m.id === chatModel), 'models.list has the chat model');
  const one = await openai.models.retrieve('all-minilm');
  check(one.id === 'all-minilm-l6-v2', 'models.retrieve resolves an alias');
  let missing = null;
  try {
    await openai.models.retrieve('no-such-model');
  } catch (err) {
    missing = err.status;
  }
  check(missing === 404, 'models.retrieve of an unknown id is 404');
  // The SDK asks for base64 by default and decodes it (little-endian float32): a wrong byte order breaks this.
  const e = await openai.embeddings.create({ model: 'all-minilm', input: ['forklift operator', 'picker packer'] });
  check(e.data.length === 2 && e.data[0].embedding.length === 384, 'embeddings.create: two 384-d vectors');
  const norm = Math.sqrt(e.data[0].embedding.reduce((s, v) => s + v * v, 0));
  check(Math.abs(norm - 1) < 1e-3, 'embeddings.create decodes to a unit vector (norm ' + norm + ')');
  const f = await openai.embeddings.create({ model: 'all-minilm', input: 'forklift operator', encoding_format: 'float' });
  check(f.data[0].embedding.every((v, i) => Math.abs(v - e.data[0].embedding[i]) < 1e-6), 'float and base64 agree');

  const chunks = [];
  const stream = await openai.chat.completions.create({
    model: chatModel, messages: [{ role: 'user', content: 'confirm the shift' }], stream: true,
    stream_options: { include_usage: true },
  });
  for await (const c of stream) {
    chunks.push(c);
  }
  const text = chunks.map((c) => (c.choices[0] && c.choices[0].delta.content) || '').join('');
  const usage = chunks[chunks.length - 1];
  summary.openai_chat = text;
  check(text.length > 0, 'chat.completions streamed content');
  check(usage.choices.length === 0 && usage.usage && usage.usage.total_tokens > 0, 'the last chunk carries usage with empty choices');
  summary.openai = 'ok';
}

try {
  await ollamaChecks();
  await openaiChecks();
  console.log(JSON.stringify(summary));
} catch (err) {
  console.error(err.stack || String(err));
  console.log(JSON.stringify(summary));
  process.exit(1);
}
