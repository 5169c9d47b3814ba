import type { IDataObject } from 'n8n-workflow';

import type { TemplateRecord } from './templates';
import { templateKey, templateRecordsOf, withResolvedNamespaces } from './templates';

export const TEMPLATE_PAGE_SIZE = 100;
const MAX_PAGES = 50;

/**
 * Reads every page of `GET /templates`. Meta's list may ignore `offset` and send the same page again,
 * so paging stops as soon as a page brings nothing new.
 */
export async function fetchAllTemplates(
	getPage: (qs: IDataObject) => Promise<unknown>,
): Promise<TemplateRecord[]> {
	const byKey = new Map<string, TemplateRecord>();
	for (let page = 0; page < MAX_PAGES; page++) {
		const body = await getPage({ limit: TEMPLATE_PAGE_SIZE, offset: page * TEMPLATE_PAGE_SIZE });
		const records = templateRecordsOf(body);
		let added = 0;
		for (const record of records) {
			const key = templateKey(record);
			if (!byKey.has(key)) {
				byKey.set(key, record);
				added++;
			}
		}
		const total =
			typeof body === 'object' && body !== null && typeof (body as IDataObject).total === 'number'
				? ((body as IDataObject).total as number)
				: undefined;
		if (added === 0 || records.length < TEMPLATE_PAGE_SIZE || (total !== undefined && byKey.size >= total)) break;
	}
	return withResolvedNamespaces([...byKey.values()]);
}

export interface TemplateChoice {
	name: string;
	language?: string;
}

/** The resource locator's value: `name|language` from the list, or a bare name typed by hand. */
export function parseTemplateChoice(value: string): TemplateChoice {
	const [name, language] = value.trim().split('|');
	return { name: (name ?? '').trim(), language: language?.trim() || undefined };
}
