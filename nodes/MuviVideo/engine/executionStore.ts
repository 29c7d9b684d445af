import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

/** The part of n8n's execution custom data the store uses (n8n 1.x does not export the type). */
interface CustomData {
	set(key: string, value: string): void;
	get(key: string): unknown;
}

type StoreContext = IExecuteFunctions | IWebhookFunctions;

const usable = (data: unknown) => (data && typeof (data as CustomData).set === 'function' && typeof (data as CustomData).get === 'function' ? (data as CustomData) : undefined);

/** `this.customData`: n8n 2.x gives it to every context. Typed locally: n8n-workflow 1.x's types have none. */
function ownCustomData(ctx: StoreContext): CustomData | undefined {
	try {
		return usable((ctx as { customData?: unknown }).customData);
	} catch {
		return undefined;
	}
}

/** n8n 1.x offers an execute context the same object only as `$execution.customData` of the data proxy (as the Execution Data node uses it). */
function proxiedCustomData(ctx: StoreContext): CustomData | undefined {
	try {
		const proxy = (ctx as Partial<IExecuteFunctions>).getWorkflowDataProxy?.(0) as { $execution?: { customData?: unknown } } | undefined;
		return usable(proxy?.$execution?.customData);
	} catch {
		return undefined;
	}
}

/** The execution's custom data, whichever way this n8n offers it to the context; undefined where it offers none (n8n 1.x's webhook()). */
export function executionCustomData(ctx: StoreContext): CustomData | undefined {
	return ownCustomData(ctx) ?? proxiedCustomData(ctx);
}

/** n8n keeps 10 custom-data keys an execution and cuts longer values silently: every value stays under this. */
const VALUE_MAX = 255;
/** n8n 1.x's webhook() has no custom data: there the store keeps a copy in the node's static data, for this many executions. */
const STATIC_KEY = 'muviExecutionMemory';
const STATIC_EXECUTIONS_MAX = 50;

/**
 * What an execution must remember about one node (its job ledger, the batch a Muvi Webhook wait is
 * waiting for), kept in the execution's custom data: n8n saves it with the execution, failed and
 * stopped ones too, shows it in the Executions list and carries it into an editor Retry. Entries
 * (texts without spaces) are packed into values of at most 255 characters over up to `parts` keys:
 * `<prefix>_<node>`, `<prefix>_<node>_2` …
 */
export class ExecutionStore {
	private readonly base: string;

	constructor(
		private readonly ctx: StoreContext,
		prefix: string,
		private readonly parts: number,
		private readonly copy: {
			/** keep a copy where n8n 1.x's webhook() can read it (the node's static data) */
			forWebhook?: boolean;
			/** the execution, where the context may not know it (a resume call names it in its URL) */
			executionId?: string;
		} = {},
	) {
		this.base = `${prefix}_${ctx.getNode().name.replace(/[^\p{L}\p{N}_]/gu, '_')}`.slice(0, 46);
	}

	key(part: number): string {
		return part === 0 ? this.base : `${this.base}_${part + 1}`;
	}

	/** The entries saved for this node in this execution (or carried over from the execution it retries). */
	load(): string[] {
		const data = executionCustomData(this.ctx);
		const values: unknown[] = [];
		if (data)
			for (let part = 0; part < this.parts; part++) {
				try {
					values.push(data.get(this.key(part)));
				} catch {
					values.push(undefined);
				}
			}
		const entries = values.flatMap((v) => (typeof v === 'string' && v !== '' ? v.split(' ') : []));
		if (entries.length > 0 || !this.copy.forWebhook) return entries;
		const copy = this.staticCopies()?.[this.executionId()]?.[this.base];
		return typeof copy === 'string' && copy !== '' ? copy.split(' ') : [];
	}

	/** Saves the entries in place of what was saved before; false when not all of them fit, or they did not read back. */
	save(entries: string[]): boolean {
		const values: string[] = [''];
		let fits = true;
		for (const entry of entries) {
			const last = values[values.length - 1];
			if ((last ? last.length + 1 : 0) + entry.length <= VALUE_MAX) values[values.length - 1] = last ? `${last} ${entry}` : entry;
			else if (values.length < this.parts && entry.length <= VALUE_MAX) values.push(entry);
			else fits = false;
		}
		const own = ownCustomData(this.ctx);
		let saved = false;
		const data = own ?? proxiedCustomData(this.ctx);
		if (data) {
			try {
				values.forEach((value, part) => data.set(this.key(part), value));
				for (let part = values.length; part < this.parts; part++) if (data.get(this.key(part)) !== undefined) data.set(this.key(part), '');
				saved = values.every((value, part) => data.get(this.key(part)) === value);
			} catch {
				// custom data full (10 keys an execution) or refused
			}
		}
		if (!own && this.copy.forWebhook) saved = this.saveStaticCopy(values.join(' '));
		return fits && saved;
	}

	private executionId(): string {
		if (this.copy.executionId) return this.copy.executionId;
		try {
			return String(this.ctx.getExecutionId() ?? '');
		} catch {
			return '';
		}
	}

	private staticCopies(): Record<string, IDataObject> | undefined {
		try {
			const data = this.ctx.getWorkflowStaticData('node');
			if (!data[STATIC_KEY] || typeof data[STATIC_KEY] !== 'object') data[STATIC_KEY] = {};
			return data[STATIC_KEY] as Record<string, IDataObject>;
		} catch {
			return undefined;
		}
	}

	private saveStaticCopy(value: string): boolean {
		const copies = this.staticCopies();
		const executionId = this.executionId();
		if (!copies || !executionId) return false;
		copies[executionId] = { ...(copies[executionId] ?? {}), [this.base]: value };
		const executions = Object.keys(copies);
		for (const old of executions.slice(0, Math.max(0, executions.length - STATIC_EXECUTIONS_MAX))) delete copies[old];
		return true;
	}
}
