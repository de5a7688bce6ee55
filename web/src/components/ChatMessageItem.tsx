import type { ChatMessage } from '../../../shared/live';
import { formatTime } from '../time';

/** One line of a chat or a transcript, as the viewer sees it. */
export function ChatMessageItem(props: { message: ChatMessage; myId?: string; otherName: string }) {
  const mine = () => props.message.senderId === props.myId;
  return (
    <li class="chat-message" classList={{ mine: mine() }}>
      <span class="chat-meta">
        {mine() ? 'You' : props.otherName} · {formatTime(props.message.sentAt)}
      </span>
      <span class="chat-text">{props.message.text}</span>
    </li>
  );
}
