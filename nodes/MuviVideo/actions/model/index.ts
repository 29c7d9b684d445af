import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

/** Resource Model: Muvi's public catalog. */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['model'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get a model', description: 'Get one model from the public catalog, with its input schema' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many models', description: 'List the models of the public catalog' },
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
