/**
 * The editor as a user meets it, in a real browser: Debian's Chromium, driven headless by
 * playwright-core (no browser download), against the n8n this suite started (the package installed
 * from its tarball, the fake Muvi API as the credential's Base URL). Each step saves a screenshot in
 * artifacts/browser/ (MUVI_BROWSER_SCREENSHOTS), which CI keeps; the README says what each one shows.
 *
 * Checks: the node panel finds the package by what people type (first step and "What happens next?"),
 * the trigger is reached from it, "Generate a video" is the first action, the fields follow the model
 * with nothing stale, the Estimated Cost line and the canvas subtitle follow duration and sound before
 * anything runs, a run's output shows costUsd and the video with a View button, and the credential
 * test with a wrong key shows Muvi's words.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

import { REPO, env, readState } from './support/n8n';

const CHROMIUM = process.env.MUVI_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.MUVI_BROWSER_SCREENSHOTS ?? join(REPO, 'artifacts', 'browser');
/** The shipped example that downloads the video (Manual Trigger → Generate video). */
const RUN_EXAMPLE = 'muviExKlingI2v01';
/** What a user types to find the action node; every one must list "Muvi Video". */
const QUERIES = ['muvi', 'kling', 'veo', 'sora', 'seedance', 'video', 'text to video', 'image to video'];
/** Generous: the machine is shared, and n8n's editor bundle is large. */
const UI_TIMEOUT = 60_000;

let context: BrowserContext;
let page: Page;
let shots = 0;
const started = Date.now();

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Saves the page as NN-<name>.png in the screenshots folder, in the order taken. */
async function shot(name: string, target: Page | Locator = page): Promise<void> {
	shots += 1;
	await target.screenshot({ path: join(SCREENSHOTS, `${String(shots).padStart(2, '0')}-${slug(name)}.png`) });
}

/** The names the node panel lists now (it keeps earlier views in the page, hidden). */
const creatorItems = () => page.locator('[data-test-id="node-creator"] [data-test-id="node-creator-item-name"]:visible');
const search = () => page.locator('[data-test-id="node-creator-search-bar"]');

/** Types a query into the node panel and waits until the list shows `expected` (n8n filters as you type). */
async function searchFor(query: string, expected: string): Promise<string[]> {
	await search().fill(query);
	await creatorItems().filter({ hasText: expected }).first().waitFor({ timeout: UI_TIMEOUT });
	return creatorItems().allInnerTexts();
}

const parameter = (name: string) => page.locator(`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"]`);
/** The labels of the parameters the panel shows now, in order. */
const shownLabels = () =>
	page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"] [data-test-id="parameter-item"] [data-test-id="input-label"]').allInnerTexts();
const labelTexts = async () => (await shownLabels()).map((l) => l.split('\n')[0].trim()).filter(Boolean);

/** Picks an option of an options parameter, typing `filter` first when given (n8n filters by the option's name). */
async function choose(name: string, option: string, filter?: string): Promise<void> {
	const input = parameter(name).locator('input').first();
	await input.click();
	if (filter !== undefined) await input.fill(filter);
	await page.locator('[data-test-id="parameter-input-item"]:visible', { hasText: option }).first().click();
}

/** The Estimated Cost line's text once it reads `expected` (it is re-loaded from n8n after each change). */
async function estimatedCost(expected: string): Promise<string> {
	const input = parameter('estimatedCost').locator('input').first();
	await input.scrollIntoViewIfNeeded();
	await expectEventually(() => input.inputValue(), expected);
	return input.inputValue();
}

/** Polls `read` until it equals `expected` (the editor updates asynchronously); fails with the last value seen. */
async function expectEventually(read: () => Promise<string>, expected: string, timeout = UI_TIMEOUT): Promise<void> {
	const deadline = Date.now() + timeout;
	let last = '';
	while (Date.now() < deadline) {
		last = await read().catch((error: Error) => `(${error.message})`);
		if (last === expected) return;
		await page.waitForTimeout(250);
	}
	expect(last).toBe(expected);
}

beforeAll(async () => {
	rmSync(SCREENSHOTS, { recursive: true, force: true });
	mkdirSync(SCREENSHOTS, { recursive: true });
	// A fresh profile in the run folder: no cache, no saved state between runs.
	context = await chromium.launchPersistentContext(mkdtempSync(join(env.runDir, 'chromium-')), {
		executablePath: CHROMIUM,
		headless: true,
		viewport: { width: 1440, height: 900 },
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	// Signed in as the owner global-setup.ts created (its n8n-auth cookie), as after a login.
	const cookie = readState().cookie;
	const name = cookie.slice(0, cookie.indexOf('='));
	await context.addCookies([{ name, value: cookie.slice(name.length + 1), url: env.n8nUrl }]);
	page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(UI_TIMEOUT);
});

afterAll(async () => {
	await context?.close();
	process.stderr.write(`browser suite: ${shots} screenshots in ${SCREENSHOTS}, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
});

describe('the editor in Chromium', () => {
	test('first step: searching muvi, kling, veo, sora, seedance, video, "text to video", "image to video" lists Muvi Video; "muvi" and "webhook" lead to the trigger', async () => {
		await page.goto(`${env.n8nUrl}/workflow/new`);
		await page.locator('[data-test-id="canvas-add-button"]').click();
		for (const query of QUERIES) {
			expect(await searchFor(query, 'Muvi Video')).toContain('Muvi Video');
			await shot(`first step search ${query}`);
		}
		for (const query of ['muvi', 'webhook']) {
			expect(await searchFor(query, 'Muvi Video')).toContain('Muvi Video');
			await creatorItems().filter({ hasText: 'Muvi Video' }).first().click();
			// the package's entry opens on the trigger's events: Muvi Video Trigger
			await expectEventually(async () => (await creatorItems().allInnerTexts())[0] ?? '', 'On job completed');
			expect(await creatorItems().allInnerTexts()).toEqual(expect.arrayContaining(['On job completed', 'On job failed']));
			await shot(`first step ${query} trigger events`);
			// close the panel and open it again for the next search
			await page.keyboard.press('Escape');
			await page.locator('[data-test-id="node-creator"]').waitFor({ state: 'hidden' });
			await page.locator('[data-test-id="canvas-add-button"]').click();
		}
	});

	test('"What happens next?": the same searches list Muvi Video, and "Generate a video" is its first action', async () => {
		await page.goto(`${env.n8nUrl}/workflow/new`);
		await page.locator('[data-test-id="canvas-add-button"]').click();
		await searchFor('manual', 'Manual Trigger');
		await creatorItems().filter({ hasText: 'Manual Trigger' }).first().click();
		await page.locator('[data-test-id="canvas-handle-plus"]').first().click();
		for (const query of [...QUERIES, 'webhook']) {
			expect(await searchFor(query, 'Muvi Video')).toContain('Muvi Video');
			await shot(`next step search ${query}`);
		}
		await searchFor('muvi', 'Muvi Video');
		await creatorItems().filter({ hasText: 'Muvi Video' }).first().click();
		// the list slides in over the search results: wait until only the actions are listed
		await expectEventually(async () => (await creatorItems().allInnerTexts())[0] ?? '', 'Generate a video');
		const actions = await creatorItems().allInnerTexts();
		expect(actions[0]).toBe('Generate a video');
		expect(actions).not.toContain('Muvi Video');
		expect(actions).toEqual(expect.arrayContaining(['Estimate the cost of a video', 'Get a job', 'Upload a file']));
		await shot('next step muvi actions');
		await creatorItems().filter({ hasText: 'Generate a video' }).first().click();
		await page.locator('[data-test-id="ndv"]').waitFor();
	});

	test('a new Generate node: the Estimated Cost line follows duration and sound before any run', async () => {
		await expectEventually(async () => (await parameter('model').locator('input').first().inputValue()), 'Kling 3.0 Standard — Image to Video · $0.084/s');
		expect(await estimatedCost('$0.42 per video (5 s × $0.084/s)')).toBe('$0.42 per video (5 s × $0.084/s)');
		await shot('new node estimate 5 s');
		await choose('duration', '10 Seconds');
		await estimatedCost('$0.84 per video (10 s × $0.084/s)');
		await shot('estimate 10 s');
		await parameter('hasSound').locator('.el-switch, [role="switch"]').first().click();
		await estimatedCost('$1.26 per video (10 s × $0.084/s × 1.5 (has_sound true))');
		await shot('estimate 10 s with sound');
	});

	test('a new node shows the spending limits: Max Cost, Max Total Cost and Max Cost per Execution', async () => {
		const labels = await labelTexts();
		expect(labels).toEqual(expect.arrayContaining(['Max Cost (USD)', 'Max Total Cost (USD)', 'Max Cost per Execution (USD)']));
		const total = parameter('maxTotalCostUsd').locator('input').first();
		await total.scrollIntoViewIfNeeded();
		expect(await total.inputValue()).toBe('0');
		await shot('new node spending limits');
	});

	test('a new node offers Fallback Models: an added one takes a model from the same list as Model, loaded when opened', async () => {
		expect(await labelTexts()).toEqual(expect.arrayContaining(['Fallback Models']));
		const add = page.locator('[data-test-id="ndv"] button:visible', { hasText: 'Add Fallback Model' }).first();
		await add.scrollIntoViewIfNeeded();
		await add.click();
		const input = parameter('model').locator('input').last();
		await input.scrollIntoViewIfNeeded();
		await input.click();
		await input.fill('Kling 3.0 Pro');
		await page.locator('[data-test-id="parameter-input-item"]:visible', { hasText: 'Kling 3.0 Pro — Image to Video' }).first().click();
		await expectEventually(async () => (await input.inputValue()).split(' · ')[0], 'Kling 3.0 Pro — Image to Video');
		await shot('new node fallback models');
	});

	test('Max Cost takes a price to the hundredth of a cent ($0.2412) and keeps it', async () => {
		const input = parameter('maxCostUsd').locator('input').first();
		await input.scrollIntoViewIfNeeded();
		expect(await input.inputValue()).toBe('2.5');
		await input.fill('0.2412');
		await input.press('Tab');
		await expectEventually(() => input.inputValue(), '0.2412');
		await shot('max cost 0.2412');
		// back to the default, so the steps below price the same node as before
		await input.fill('2.5');
		await input.press('Tab');
		await expectEventually(() => input.inputValue(), '2.5');
	});

	test('fields change with the model and nothing stale stays; the model list filters by maker', async () => {
		const kling = await labelTexts();
		expect(kling).toEqual(expect.arrayContaining(['Model', 'Prompt', 'Image Source', 'Image URL', 'Duration', 'Generate Sound', 'Estimated Cost']));

		await choose('model', 'Kling 3.0 Standard — Start & End Frame to Video', 'start & end');
		await estimatedCost('$1.26 per video (10 s × $0.084/s × 1.5 (has_sound true))');
		const frames = await labelTexts();
		expect(frames).toEqual(expect.arrayContaining(['Start Frame Source', 'Start Frame URL', 'End Frame Source', 'End Frame URL']));
		expect(frames).not.toContain('Image Source');
		expect(frames).not.toContain('Image URL');
		expect(frames).not.toContain('Input Source');
		await shot('model start and end frame fields');

		// typing a maker finds its models (n8n matches the option names)
		const input = parameter('model').locator('input').first();
		await input.click();
		await input.fill('google');
		const options = page.locator('[data-test-id="parameter-input-item"]:visible');
		await options.filter({ hasText: 'Google Veo 3.1 Fast — Text to Video · $0.20/s' }).waitFor();
		const found = await options.allInnerTexts();
		expect(found.length).toBeGreaterThanOrEqual(4);
		for (const option of found) expect(option).toMatch(/Google/);
		await shot('model list filtered by google');
		await options.filter({ hasText: 'Google Veo 3.1 Fast — Text to Video · $0.20/s' }).first().click();

		// n8n keeps the same-named Duration (10 s) although Veo offers 4, 6 or 8 s: the price says so
		await estimatedCost('Not known: Duration "10" is not offered by this model');
		await shot('model veo kept duration not offered');
		await choose('duration', '8 Seconds');
		await estimatedCost('$2.40 per video (8 s × $0.20/s × 1.5 (has_sound true))');
		const veo = await labelTexts();
		expect(veo).toEqual(expect.arrayContaining(['Prompt', 'Aspect Ratio', 'Resolution', 'Duration', 'Generate Sound', 'Seed']));
		for (const stale of ['Start Frame Source', 'Start Frame URL', 'End Frame Source', 'End Frame URL', 'Image Source', 'Image URL'])
			expect(veo).not.toContain(stale);
		await shot('model veo fields');

		// the canvas subtitle: model and price, before any run
		await page.locator('[data-test-id="ndv-close-button"]').click();
		const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Generate a video' });
		await expectEventually(async () => ((await node.innerText()).match(/^est\..*$/m) ?? [''])[0].trim(), 'est. $2.40 · Veo 3.1 Fast — Text to Video');
		await shot('canvas subtitle with estimate');
	});

	test('Kling O3 on a new node: Multi-Shot and Elements are lists (Add Shot: prompt, duration; Add Element), not JSON text', async () => {
		await page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Generate a video' }).dblclick();
		await page.locator('[data-test-id="ndv"]').waitFor();
		await choose('model', 'Kling O3 Pro — Text to Video', 'o3 pro');
		await expectEventually(async () => (await parameter('model').locator('input').first().inputValue()).split(' · ')[0], 'Kling O3 Pro — Text to Video');
		expect(await labelTexts()).toEqual(expect.arrayContaining(['Multi-Shot', 'Elements']));
		// no JSON editor for them on a new node (version 3)
		expect(await parameter('multishot').count()).toBe(0);
		expect(await parameter('elements').count()).toBe(0);
		await choose('duration', '5 Seconds');
		const cost = parameter('estimatedCost').locator('input').first();
		const pricedSeconds = async () => ((await cost.inputValue()).match(/\((\d+) s × \$0\.112\/s/) ?? [])[1] ?? (await cost.inputValue());
		await expectEventually(pricedSeconds, '5');

		const list = (name: string) => page.locator(`[data-test-id="ndv"] [data-test-id="fixed-collection-${name}"]`);
		const inList = (name: string, parameterName: string) => list(name).locator(`[data-test-id="parameter-input-${parameterName}"]`);
		const addShot = page.locator('[data-test-id="ndv"] button:visible', { hasText: 'Add Shot' }).first();
		await addShot.scrollIntoViewIfNeeded();
		await addShot.click();
		const shotPrompt = inList('shotList', 'prompt').locator('textarea, input').first();
		await shotPrompt.scrollIntoViewIfNeeded();
		await shotPrompt.fill('A wide shot of the harbour at dawn');
		const shotDuration = inList('shotList', 'duration').locator('input').first();
		await expectEventually(() => shotDuration.inputValue(), '5');
		await shotDuration.fill('6');
		await shotDuration.press('Tab');
		await expectEventually(() => shotDuration.inputValue(), '6');
		// the shot (6 s) lasts longer than Duration (5 s): the Estimated Cost line and the subtitle follow it, as the node's Max Cost does
		await expectEventually(pricedSeconds, '6');

		const addElement = page.locator('[data-test-id="ndv"] button:visible', { hasText: 'Add Element' }).first();
		await addElement.scrollIntoViewIfNeeded();
		await addElement.click();
		expect(await labelTexts()).toEqual(expect.arrayContaining(['Name', 'Images Source', 'Image URLs', 'Voice URL']));
		await inList('elementList', 'imageUrls').locator('textarea, input').first().fill('https://example.com/anna.jpg');
		await shotPrompt.scrollIntoViewIfNeeded();
		await shot('new node multi-shot and elements lists');
		const linePrice = (await cost.inputValue()).split(' per ')[0];
		await page.locator('[data-test-id="ndv-close-button"]').click();
		const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Generate a video' });
		await expectEventually(async () => ((await node.innerText()).match(/^est\..*$/m) ?? [''])[0].trim(), `est. ${linePrice} · Kling O3 Pro — Text to Video`);
	});

	test('a run shows costUsd and the video as binary data with a View button', async () => {
		await page.goto(`${env.n8nUrl}/workflow/${RUN_EXAMPLE}`);
		const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Generate video' });
		await expectEventually(async () => ((await node.innerText()).match(/^est\..*$/m) ?? [''])[0], 'est. $0.42 · Kling 3.0 Standard — Image to Video');
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		await node.locator('[data-test-id="canvas-node-status-success"]').waitFor({ timeout: 180_000 });
		await shot('run finished');
		await node.dblclick();
		const output = page.locator('[data-test-id="output-panel"]');
		await output.locator('[data-test-id="radio-button-table"]').click();
		await expectEventually(async () => String((await output.innerText()).includes('costUsd')), 'true');
		const table = await output.innerText();
		expect(table).toMatch(/costUsd/);
		expect(table).toMatch(/0\.42/);
		expect(table).toMatch(/outcome/);
		expect(table).toMatch(/netCostUsd/);
		await shot('run output table with costUsd, outcome and netCostUsd');
		// the table may be wider than the panel; the JSON view shows the fields on screen
		await output.locator('[data-test-id="radio-button-json"]').click();
		await expectEventually(async () => String(/costUsd[\s\S]{0,20}?0\.42\b/.test(await output.innerText())), 'true');
		const json = await output.innerText();
		expect(json).toMatch(/outcome[\s\S]{0,10}?completed/);
		expect(json).toMatch(/netCostUsd[\s\S]{0,20}?0\.42\b/);
		await shot('run output json with costUsd, outcome and netCostUsd');
		await output.locator('[data-test-id="radio-button-binary"]').click();
		const view = output.locator('[data-test-id="ndv-view-binary-data"]');
		await view.waitFor();
		expect(await output.innerText()).toMatch(/video\/mp4/);
		await shot('run output binary with view button');
		await view.click();
		await page.locator('video').first().waitFor();
		await shot('binary video viewer');
		await page.keyboard.press('Escape');
	});

	test("the credential test with a wrong key shows Muvi's message", async () => {
		await page.goto(`${env.n8nUrl}/home/credentials`);
		await page.locator('[data-test-id="add-resource-credential"]').click();
		await page.locator('[data-test-id="new-credential-type-select"] input').fill('Muvi');
		await page.locator('[data-test-id="new-credential-type-select-option"]', { hasText: 'Muvi API' }).click();
		await page.locator('[data-test-id="new-credential-type-button"]').click();
		const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
		await dialog.waitFor();
		await dialog.locator('[data-test-id="parameter-input-apiKey"] input').fill('pb_wrong_key_typed_in_the_browser');
		await dialog.locator('[data-test-id="parameter-input-baseUrl"] input').fill(env.fakeUrl);
		await page.locator('[data-test-id="credential-save-button"]').click();
		await dialog.getByText('More details').click();
		await expectEventually(async () => String((await dialog.innerText()).includes('The API key is invalid')), 'true');
		const text = await dialog.innerText();
		expect(text).toContain('Muvi: The API key is invalid (INVALID_API_KEY)');
		expect(text).not.toMatch(/^Unauthorized$/m);
		await shot('credential test wrong key');
	});
});
