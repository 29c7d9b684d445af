import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecuteFunctions,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

type PaginationOperation = (this: IExecutePaginationFunctions, requestData: DeclarativeRestApiSettings.ResultOptions) => Promise<INodeExecutionData[]>;
type PreSend = (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

/** The per-item context n8n's routing gives an operation, made from the node's IExecuteFunctions. */
function itemContext(ctx: IExecuteFunctions, itemIndex: number): IExecutePaginationFunctions {
	const item = Object.create(ctx) as IDataObject;
	item.getItemIndex = () => itemIndex;
	item.getNodeParameter = (name: string, fallback?: unknown, options?: IDataObject) => ctx.getNodeParameter(name, itemIndex, fallback as never, options);
	item.getInputData = () => ctx.getInputData()[itemIndex];
	item.evaluateExpression = (expression: string) => ctx.evaluateExpression(expression, itemIndex);
	item.getWorkflowDataProxy = () => ctx.getWorkflowDataProxy(itemIndex);
	item.makeRoutingRequest = async () => {
		throw new NodeOperationError(ctx.getNode(), 'makeRoutingRequest is not available here', { itemIndex });
	};
	return item as unknown as IExecutePaginationFunctions;
}

/**
 * Runs an operation written for the declarative routing (`routing.operations.pagination`) as a custom
 * operation, item by item as n8n's RoutingNode does: all items at once, a failed item an item with
 * `error` under Continue On Fail, otherwise the node's error naming the item.
 *
 * Why: the node declares webhook() (Generate's Wait Mode "Muvi Webhook"), and n8n 2.41 gives a node
 * that has webhook() but no execute() **no input items** in its routed (non-custom) operations
 * (WorkflowExecute.prepareConnectionInputData), so `$json` expressions there would fail.
 * The routing stays in the description as the record of what is sent.
 */
export function asCustomOperation(
	run: PaginationOperation,
	request: { method?: IHttpRequestOptions['method']; url?: string; preSend?: PreSend[] } = {},
): (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> {
	return async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const answers = await Promise.allSettled(
			items.map(async (_, i) => {
				const item = itemContext(this, i);
				let options: IHttpRequestOptions = { method: request.method ?? 'GET', url: request.url ?? '', qs: {}, headers: {} };
				for (const preSend of request.preSend ?? []) options = await preSend.call(item, options);
				return await run.call(item, { options } as DeclarativeRestApiSettings.ResultOptions);
			}),
		);
		const out: INodeExecutionData[] = [];
		for (const [i, answer] of answers.entries()) {
			if (answer.status === 'fulfilled') {
				out.push(...answer.value);
				continue;
			}
			const reason = answer.reason as Error;
			const error =
				reason instanceof NodeApiError || reason instanceof NodeOperationError
					? reason
					: new NodeOperationError(this.getNode(), reason instanceof Error ? reason : new Error(String(reason)), { itemIndex: i });
			if (this.continueOnFail()) {
				out.push({ json: { error: error.message }, pairedItem: { item: i } });
				continue;
			}
			throw error;
		}
		return [out];
	};
}
