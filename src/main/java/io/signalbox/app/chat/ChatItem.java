package io.signalbox.app.chat;

/** One row of a conversation: a message, or a note about the session between messages. */
public sealed interface ChatItem permits MessageItem, NoticeItem {}
