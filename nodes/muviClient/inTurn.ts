/** The work queued under each key, so that work for one key runs one piece at a time, in arrival order. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `work` after every earlier piece of work for the same key (in this process) has ended, whether
 * it succeeded or failed. Used where two overlapping runs would step on each other: submits of one
 * batch, checks of one waiting execution, writes of one trigger's delivery memory.
 */
export async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
	const previous = queues.get(key) ?? Promise.resolve();
	const mine = previous.then(work, work);
	const settled = mine.then(
		() => undefined,
		() => undefined,
	);
	queues.set(key, settled);
	try {
		return await mine;
	} finally {
		if (queues.get(key) === settled) queues.delete(key);
	}
}
