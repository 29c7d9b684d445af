import type { IDataObject } from 'n8n-workflow';

import { formatUsd, MICRO_CENTS_PER_USD } from '../../muviClient/money';
import type { CatalogModel } from '../models';

/**
 * The Max Cost guard for every model, including those without a local price formula (a custom
 * slug, motion transfer priced by its reference video): when a limit is set and no local price
 * exists, Muvi's `POST /v1/jobs/estimate` is asked first; with no estimate at all the job is refused
 * unless the user allowed unknown costs. Pure apart from the injected `askMuvi`, so Generate (video
 * and image) and the tests call the same code.
 */

/** What Muvi's estimate endpoint gets (§2.5): the model slug, an optional version, the input. */
export interface EstimateRequest {
	model: string;
	version?: string;
	input: IDataObject;
}

/** Sends `POST /v1/jobs/estimate` and returns the parsed body; throws when Muvi gives no answer. */
export type AskMuviForEstimate = (request: EstimateRequest) => Promise<unknown>;

export interface CostGuardRequest extends EstimateRequest {
	/** the local price from the catalog's formula; undefined when the model has none */
	localMicroCents?: number;
	/** Max Cost in US dollars; undefined, empty or negative = no limit. "1.50" from a sheet is accepted. */
	maxCostUsd?: number | string;
	/** whether a job may go through when no estimate can be had (the user's explicit choice) */
	allowUnknownCost?: boolean;
	/** a price is wanted even without Max Cost (a limit of the whole run or execution adds it up) */
	priceWanted?: boolean;
}

/** Where the price the guard used came from. */
export type CostSource = 'local' | 'muvi' | 'unknown';

export type CostVerdict =
	| { allowed: true; microCents: number | null; source: CostSource; limitMicroCents: number | null }
	| {
			allowed: false;
			reason: 'overLimit' | 'noEstimate' | 'badLimit';
			microCents: number | null;
			source: CostSource;
			limitMicroCents: number | null;
			/** what happened, for the error message */
			message: string;
			/** how to fix it, for the error description */
			hint: string;
	  };

/**
 * The local price the guard may rely on: none for a model outside the catalog, nor for one whose
 * length follows a reference video (motion transfer: the formula can only assume 5 s).
 */
export function trustedLocalPrice(model: CatalogModel | undefined, localMicroCents: number | undefined): number | undefined {
	if (!model) return undefined;
	if (model.price.kind === 'perSecond' && model.price.fixedSeconds !== undefined) return undefined;
	return localMicroCents;
}

/** Max Cost in micro-cents, null for "no limit", NaN for a value that is not a number. */
export function limitInMicroCents(maxCostUsd: number | string | undefined): number | null {
	if (maxCostUsd === undefined || maxCostUsd === null || String(maxCostUsd).trim() === '') return null;
	const usd = typeof maxCostUsd === 'number' ? maxCostUsd : Number(String(maxCostUsd).trim().replace(/^\$/, ''));
	if (!Number.isFinite(usd)) return NaN;
	return usd < 0 ? null : Math.round(usd * MICRO_CENTS_PER_USD);
}

/**
 * The estimated micro-cents in either documented answer (§2.5), flat or wrapped in `data`:
 * `estimatedCostMicroCents` (reference page) or `estimatedCost` (pricing page); null if neither.
 */
export function readEstimate(body: unknown): number | null {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
	const outer = body as IDataObject;
	const data = outer.data && typeof outer.data === 'object' && !Array.isArray(outer.data) ? (outer.data as IDataObject) : outer;
	const raw = data.estimatedCostMicroCents ?? data.estimatedCost;
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
}

const describeError = (error: unknown): string => {
	if (error instanceof Error) return error.message;
	return typeof error === 'string' ? error : 'no answer';
};

function overLimit(microCents: number, limit: number, source: CostSource, model: string): CostVerdict {
	const amount = `${formatUsd(microCents)} (${microCents.toLocaleString('en-US')} micro-cents)`;
	return {
		allowed: false,
		reason: 'overLimit',
		microCents,
		source,
		limitMicroCents: limit,
		message:
			source === 'muvi'
				? `Muvi's estimate for ${model}, ${amount}, is above Max Cost ${formatUsd(limit)}`
				: `The estimated cost ${amount} is above Max Cost ${formatUsd(limit)}`,
		hint: 'Nothing was submitted. Raise Max Cost in Options, or choose cheaper settings or a cheaper model.',
	};
}

/**
 * Decides whether one item may be submitted under Max Cost. Muvi is asked only when a limit is set
 * and there is no local price. Nothing here submits anything.
 */
export async function checkCostLimit(request: CostGuardRequest, askMuvi: AskMuviForEstimate): Promise<CostVerdict> {
	const limit = limitInMicroCents(request.maxCostUsd);
	const local = request.localMicroCents;
	if (limit !== null && Number.isNaN(limit))
		return {
			allowed: false,
			reason: 'badLimit',
			microCents: local ?? null,
			source: local === undefined ? 'unknown' : 'local',
			limitMicroCents: null,
			message: `Max Cost must be a number of US dollars, not ${JSON.stringify(request.maxCostUsd)}`,
			hint: 'Nothing was submitted. Enter e.g. 1.50, or remove the option for no limit.',
		};
	if (local !== undefined) {
		if (limit !== null && local > limit) return overLimit(local, limit, 'local', request.model);
		return { allowed: true, microCents: local, source: 'local', limitMicroCents: limit };
	}
	if (limit === null && !request.priceWanted) return { allowed: true, microCents: null, source: 'unknown', limitMicroCents: null };

	let estimate: number | null = null;
	let why = 'its answer had no estimated cost';
	try {
		const body: EstimateRequest = { model: request.model, input: request.input };
		if (request.version) body.version = request.version;
		estimate = readEstimate(await askMuvi(body));
	} catch (error) {
		why = describeError(error);
	}
	if (estimate !== null) {
		if (limit !== null && estimate > limit) return overLimit(estimate, limit, 'muvi', request.model);
		return { allowed: true, microCents: estimate, source: 'muvi', limitMicroCents: limit };
	}
	// without Max Cost nothing is refused here: the run's limits decide what an unknown price means
	if (request.allowUnknownCost === true || limit === null) return { allowed: true, microCents: null, source: 'unknown', limitMicroCents: limit };
	return {
		allowed: false,
		reason: 'noEstimate',
		microCents: null,
		source: 'unknown',
		limitMicroCents: limit,
		message: `The cost of ${request.model} is unknown, so Max Cost ${formatUsd(limit)} cannot be checked: Muvi's estimate failed (${why})`,
		hint: 'Nothing was submitted. Try again later, or turn on "Allow Unknown Cost" in Options to submit without a price check, or remove Max Cost.',
	};
}
