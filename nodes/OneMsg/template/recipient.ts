/**
 * The one Recipient field: a phone, a chat id, a BSUID or a username, told apart by their shape and
 * sent to 1MSG as the property it expects for each. Pure: throws InputError naming the field.
 *
 * A BSUID is sent as the chat id `<BSUID>@lid`. The sources differ: 1MSG's n8n node sends a `bsuid`
 * field, a production app (ebor94/1msg, July 2026) sends the BSUID in `phone`, and the newest ones,
 * 1MSG's generated SDK (2026-08-20) and MCP tool list, know only `phone` and `chatId`, the latter
 * "phone@c.us, group@g.us, or BSUID@lid"; their `phone` is an integer in `send_message`, which a
 * BSUID cannot be. A BSUID is accepted bare or as its `@lid` chat id.
 */
import { InputError } from '../shared/failures';
import { normalisePhone, PHONE_MAX_DIGITS, PHONE_MIN_DIGITS } from './validate';

export type RecipientType = 'phone' | 'chatId' | 'bsuid' | 'username';

/** The properties a send body can name its recipient by. */
export type RecipientProperty = 'phone' | 'chatId' | 'username';

/** Who a send goes to: what it was read as (for the output), and the one property the body carries. */
export interface Recipient {
	type: RecipientType;
	value: string;
	/** The send body's recipient property and its value: a BSUID goes as `chatId` `<BSUID>@lid`. */
	property: RecipientProperty;
	sent: string;
}

function readAs(type: Exclude<RecipientType, 'bsuid'>, value: string): Recipient {
	return { type, value, property: type, sent: value };
}

export const RECIPIENT_FIELD = 'Recipient';

/** A business-scoped user id: a two-letter country code, a dot, then letters and digits (e.g. US.13491208655302741918). */
const BSUID = /^[A-Z]{2}\.[A-Za-z0-9]{1,128}$/;
/** A WhatsApp username as written with its `@`: letters, digits, dots and underscores. */
const USERNAME = /^@([A-Za-z0-9._]{3,35})$/;
/** Chat ids from 1MSG's webhooks: a person (`…@c.us`), a group (`…@g.us`) or a BSUID chat (`…@lid`). */
const CHAT_ID = /^([^@\s]+)@(c\.us|g\.us|lid)$/;

const FIX = `Enter a phone with its country code (${PHONE_MIN_DIGITS}–${PHONE_MAX_DIGITS} digits, e.g. +7 999 123-45-67), a chat ID such as 79991234567@c.us, a BSUID such as US.13491208655302741918, or a username with its @, e.g. @maria.shop.`;

function chatId(text: string, field: string): Recipient {
	const [, id, server] = CHAT_ID.exec(text) ?? [];
	if (server === 'c.us') {
		// A person's chat id is their phone: the same digit rules apply.
		const phone = normalisePhone(id, field);
		return readAs('chatId', `${phone}@c.us`);
	}
	if (server === 'g.us' && !/^[0-9-]+$/.test(id)) {
		throw new InputError(field, `${field} "${text}" is not a group chat ID (digits before @g.us)`, FIX);
	}
	if (server === 'lid' && !/^[A-Za-z0-9.]+$/.test(id)) {
		throw new InputError(field, `${field} "${text}" is not a BSUID chat ID`, FIX);
	}
	return readAs('chatId', text);
}

/** Reads the recipient; anything that is neither chat id, BSUID nor @username is checked as a phone. */
export function readRecipient(raw: unknown, field = RECIPIENT_FIELD): Recipient {
	const text = typeof raw === 'string' ? raw.trim() : undefined;
	if (text?.includes('@')) {
		if (CHAT_ID.test(text)) return chatId(text, field);
		const username = USERNAME.exec(text);
		if (username) return readAs('username', username[1]);
		throw new InputError(
			field,
			`${field} "${text.length > 40 ? `${text.slice(0, 40)}…` : text}" is neither a chat ID (…@c.us, …@g.us, …@lid) nor a username (@ and 3–35 letters, digits, dots or underscores)`,
			FIX,
		);
	}
	if (text && BSUID.test(text)) return { type: 'bsuid', value: text, property: 'chatId', sent: `${text}@lid` };
	return readAs('phone', normalisePhone(raw, field));
}
