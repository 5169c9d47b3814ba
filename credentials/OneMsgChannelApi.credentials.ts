import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_BASE_URL, stripAuthPrefix } from '../nodes/OneMsg/shared/channel';

/**
 * The channel id comes from the field when filled; otherwise from the `instanceId` claim of the JWT token
 * (1MSG channel tokens are JWTs whose claim reads `instance<digits>`). Requests follow the same rule in
 * nodes/OneMsg/shared/channel.ts; the credential test is evaluated by n8n as an expression, so it is
 * written again in n8n's expression language here.
 */
const CHANNEL_FROM_CREDENTIALS =
	"($credentials.channelId || '').trim() || ((($credentials.token || '').replace(/^\\s*(bearer|basic)\\s+/i, '').split('.')[1] || '').base64Decode().parseJson().instanceId || '').replace(/^instance/, '')";

export class OneMsgChannelApi implements ICredentialType {
	name = 'oneMsgChannelApi';

	displayName = '1MSG Channel API';

	icon: Icon = { light: 'file:../nodes/OneMsg/oneMsg.svg', dark: 'file:../nodes/OneMsg/oneMsg.dark.svg' };

	documentationUrl = 'https://docs.1msg.io';

	properties: INodeProperties[] = [
		{
			displayName: 'Channel ID',
			name: 'channelId',
			type: 'string',
			default: '',
			placeholder: 'e.g. VID182868781',
			description:
				'The channel ID from the 1MSG dashboard. Leave empty when your token is a channel JWT: the ID is then read from the token.',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The channel API token from the 1MSG dashboard. A pasted "Bearer " prefix is removed.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			placeholder: `e.g. ${DEFAULT_BASE_URL}`,
			description:
				'The 1MSG API host. Use https://sandbox.1msg.io for sandbox channels, or a local test server.',
		},
	];

	/**
	 * A function rather than an expression: n8n evaluates credential expressions on every request,
	 * which is the largest cost per message when thousands of templates are sent.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = stripAuthPrefix(String(credentials.token ?? ''));
		return { ...requestOptions, headers: { ...requestOptions.headers, Authorization: `Bearer ${token}` } };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ($credentials.baseUrl || '${DEFAULT_BASE_URL}').trim().replace(/\\/+$/, '') }}`,
			url: `={{ '/' + (${CHANNEL_FROM_CREDENTIALS}) + '/status' }}`,
			method: 'GET',
		},
	};
}
