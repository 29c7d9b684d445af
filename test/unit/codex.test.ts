/**
 * The codex files decide whether users can find the nodes at all: n8n's node panel hides nodes whose
 * codex categories include "AI" without AI subcategories (editor-ui useViewStacks.ts, filterOutAiNodes),
 * and searches the display name and `alias` only. `npm run lint` does not read .node.json files and the
 * published @n8n/eslint-plugin-community-nodes (0.32.0) has no codex rules yet, so this test applies
 * the rules n8n's repository defines for community nodes (`valid-codex-categories`,
 * `no-ai-codex-category`, `no-codex-subcategories`; list from its utils/codex-taxonomy.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** n8n's known codex categories (eslint-plugin-community-nodes, src/utils/codex-taxonomy.ts). */
const KNOWN_CODEX_CATEGORIES = [
	'AI',
	'Analytics',
	'Communication',
	'Core Nodes',
	'Data & Storage',
	'Developer Tools',
	'Development',
	'ECM',
	'Finance & Accounting',
	'HITL',
	'Marketing & Content',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
];

interface Codex {
	node: string;
	categories: string[];
	subcategories?: unknown;
	alias?: string[];
	resources?: { primaryDocumentation?: Array<{ url: string }>; credentialDocumentation?: Array<{ url: string }> };
}

const root = join(__dirname, '..', '..');
const codex = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Codex;
const files = {
	'n8n-nodes-muvi.muviVideo': 'nodes/MuviVideo/MuviVideo.node.json',
	'n8n-nodes-muvi.muviVideoTrigger': 'nodes/MuviVideoTrigger/MuviVideoTrigger.node.json',
};
const displayName = { 'n8n-nodes-muvi.muviVideo': 'Muvi Video', 'n8n-nodes-muvi.muviVideoTrigger': 'Muvi Video Trigger' };

/** What n8n's node search looks at (sublimeSearch over displayName and codex.alias), as lower-case text. */
const searchable = (type: keyof typeof files) => [displayName[type], ...(codex(files[type]).alias ?? [])].map((s) => s.toLowerCase());
/** n8n's fuzzy search finds a query whose letters appear in order in a key; a contained word is the strict case. */
const finds = (type: keyof typeof files, query: string) => searchable(type).some((key) => key.includes(query.toLowerCase()));

describe.each(Object.entries(files))('%s codex', (type, file) => {
	test('names its node, uses only known categories, no "AI" and no subcategories (community-node rules)', () => {
		const c = codex(file);
		expect(c.node).toBe(type);
		expect(c.categories.length).toBeGreaterThan(0);
		for (const category of c.categories) expect(KNOWN_CODEX_CATEGORIES).toContain(category);
		expect(c.categories).not.toContain('AI');
		expect(c.subcategories).toBeUndefined();
		for (const doc of [...(c.resources?.primaryDocumentation ?? []), ...(c.resources?.credentialDocumentation ?? [])])
			expect(doc.url).toMatch(/^https:\/\/developer\.muvi\.video\//);
	});
});

describe('what users type in the node panel', () => {
	test.each(['muvi', 'kling', 'veo', 'sora', 'seedance', 'video', 'text to video', 'image to video'])('"%s" finds Muvi Video', (query) => {
		expect(finds('n8n-nodes-muvi.muviVideo', query)).toBe(true);
	});

	test.each(['muvi', 'webhook'])('"%s" finds Muvi Video Trigger', (query) => {
		expect(finds('n8n-nodes-muvi.muviVideoTrigger', query)).toBe(true);
	});
});
