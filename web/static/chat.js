/*
 * Chat widget of the help-desk page, on Rasa's socket.io channel (no framework).
 *
 * Protocol (rasa/core/channels/socketio.py, credentials `session_persistence: true`):
 *   client → session_request {session_id}           server → session_confirm "<session_id>"
 *   client → user_uttered {message, session_id}     server → bot_uttered {text, quick_replies | buttons}
 * The session id is kept in sessionStorage with the messages shown, and asked for again on
 * every (re)connection, so a reload or a dropped connection continues the same conversation
 * (Rasa keeps its tracker under that id).
 *
 * Text from the bot and the user is only ever put in the page as text nodes; URLs and phone
 * numbers become links (http/https and tel: only). Enter sends, except the Enter that
 * confirms a Japanese IME conversion (isComposing / keyCode 229).
 */
(function () {
  'use strict';

  var STORAGE_KEY = 'kanagawa-sanro-chat/v1';
  var MAX_STORED_MESSAGES = 200;
  var REPLY_TIMEOUT_MS = 30000;
  // No lookbehind: Safari before 16.4 cannot parse it, and would lose the whole widget.
  var LINK = /(https?:\/\/[^\s<>"'「」『』（）()、。]+)|(^|[^\d-])(0\d{1,4}-\d{1,4}-\d{3,4})(?![\d-])/g;

  // The widget's own words, in each language of the 日本語 / English switch. The bot's answers
  // come from the bot (knowledge/templates/<language>.yml); the switch sends the chosen
  // language with every message (metadata.language), and the bot answers in it unless a
  // message is plainly in the other language.
  var TEXTS = {
    ja: {
      bot: 'チャットボット：',
      user: 'あなた：',
      welcome: '神奈川県 産業労働局の事業者向け支援事業（令和6年度当初予算案）について、' +
        '補助金の金額や対象、担当課の電話番号などをお答えします。知りたい事業名やお困りごとを入力してください。',
      examples: [
        { title: '生産性向上の補助金の上限は？', payload: '生産性向上の補助金の上限は？' },
        { title: '創業の支援を知りたい', payload: '創業を考えています。どんな支援がありますか' },
        { title: '人手不足の支援を知りたい', payload: '人手不足で困っています' }
      ],
      connecting: 'チャットサーバーに接続しています…',
      unreachable: 'チャットサーバーに接続できません。自動的に再接続を試みています。',
      callInstead: 'お急ぎの場合は {name}（電話 {phone}）へお問い合わせください。',
      dropped: '接続が切れました。再接続しています…',
      reconnected: '再接続しました。',
      queued: '接続されしだい送信します。',
      pendingMark: '送信待ち',
      noReply: '回答が届きません。しばらくしてから、もう一度お試しください。',
      restarted: '新しい会話を始めました。',
      repliesLabel: '返答の候補',
      placeholder: '質問を入力してください',
      inputLabel: '質問を入力',
      hint: 'Enterで送信、Shift+Enterで改行',
      sendLabel: '送信',
      resetLabel: '最初から',
      closeLabel: 'チャットを閉じる',
      typing: '回答を準備しています',
      title: '事業者支援チャットボット',
      switchTo: 'English',
      switchLabel: 'Answer in English',
      switched: '日本語でお答えします。'
    },
    en: {
      bot: 'Chatbot: ',
      user: 'You: ',
      welcome: 'I answer questions about the support programs for businesses of Kanagawa Prefecture\'s ' +
        'Industry and Labor Bureau (FY2024 initial budget proposal): amounts, who is eligible, and which division ' +
        'to call. Answers quote the Japanese document; divisions may answer the phone in Japanese.',
      examples: [
        { title: 'Productivity subsidy cap', payload: 'What is the cap of the productivity improvement subsidy?' },
        { title: 'Support for foreign companies', payload: 'What support is there for foreign companies setting up in Kanagawa?' },
        { title: 'Paternity leave incentive', payload: 'How much is the incentive for paternity leave?' }
      ],
      connecting: 'Connecting to the chat server…',
      unreachable: 'Cannot reach the chat server. Trying again automatically.',
      callInstead: ' If it is urgent, please call {name} (phone {phone}).',
      dropped: 'The connection was lost. Reconnecting…',
      reconnected: 'Reconnected.',
      queued: 'Will be sent once connected.',
      pendingMark: 'waiting to send',
      noReply: 'No answer has arrived. Please try again a little later.',
      restarted: 'A new conversation has started.',
      repliesLabel: 'Suggested replies',
      placeholder: 'Type your question',
      inputLabel: 'Your question',
      hint: 'Enter to send, Shift+Enter for a new line',
      sendLabel: 'Send',
      resetLabel: 'Restart',
      closeLabel: 'Close the chat',
      typing: 'Preparing the answer',
      title: 'Business support chatbot',
      switchTo: '日本語',
      switchLabel: '日本語で回答',
      switched: 'I will answer in English.'
    }
  };
  var TEXT = TEXTS.ja;

  var root = document.getElementById('kc-chat');
  if (!root) return;
  var launcher = document.getElementById('kc-launcher');
  var panel = document.getElementById('kc-panel');
  var log = document.getElementById('kc-log');
  var statusLine = document.getElementById('kc-status');
  var typing = document.getElementById('kc-typing');
  var form = document.getElementById('kc-form');
  var input = document.getElementById('kc-input');
  var closeButton = document.getElementById('kc-close');
  var resetButton = document.getElementById('kc-reset');
  var languageButton = document.getElementById('kc-lang');

  var config = null;
  var socket = null;
  var ready = false;
  var everConnected = false;
  var composing = false;
  var waitTimer = null;
  var statusTimer = null;
  var announceOnConfirm = '';
  var state = load();

  // ── storage ────────────────────────────────────────────────────────────────
  function emptyState(language) {
    return { sessionId: null, open: false, messages: [], language: language || pageLanguage() };
  }

  /** The language to start in: the page's (<html lang>, or data-chat-language). */
  function pageLanguage() {
    var lang = (document.documentElement.getAttribute('data-chat-language') ||
                document.documentElement.lang || 'ja').slice(0, 2).toLowerCase();
    return TEXTS[lang] ? lang : 'ja';
  }

  /** The conversation kept in sessionStorage, checked field by field (it is only text). */
  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || 'null');
      if (!saved || typeof saved !== 'object' || !Array.isArray(saved.messages)) return emptyState();
      return {
        sessionId: typeof saved.sessionId === 'string' ? saved.sessionId : null,
        open: saved.open === true,
        language: TEXTS[saved.language] ? saved.language : pageLanguage(),
        messages: saved.messages.filter(function (m) {
          return m && (m.from === 'bot' || m.from === 'user') && typeof m.text === 'string';
        }).map(function (m) {
          var kept = { from: m.from, text: m.text, replies: cleanReplies(m.replies) };
          if (m.from === 'user' && typeof m.pending === 'string' && m.pending) kept.pending = m.pending;
          return kept;
        })
      };
    } catch (error) {
      return emptyState();
    }
  }

  function save() {
    state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      /* storage full or disabled: the conversation still works, it just won't survive a reload */
    }
  }

  function cleanReplies(replies) {
    if (!Array.isArray(replies)) return [];
    return replies.filter(function (r) {
      return r && typeof r.title === 'string' && typeof r.payload === 'string' && r.title && r.payload;
    }).map(function (r) { return { title: r.title, payload: r.payload }; });
  }

  // ── rendering (text nodes only) ────────────────────────────────────────────
  /** Appends `text` to `parent` as text, with http(s) URLs and phone numbers as links. */
  function appendText(parent, text) {
    var last = 0;
    text.replace(LINK, function (match, url, lead, phone, offset) {
      // `lead`: the character before a phone number, which stays text
      var start = offset + (url ? 0 : lead.length);
      parent.appendChild(document.createTextNode(text.slice(last, start)));
      var link = document.createElement('a');
      if (url) {
        link.href = url;
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
      } else {
        link.href = 'tel:' + phone;
      }
      link.textContent = url || phone;
      parent.appendChild(link);
      last = offset + match.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function renderMessage(message) {
    var item = document.createElement('li');
    item.className = 'kc-msg kc-msg--' + message.from;
    var who = document.createElement('span');
    who.className = 'visually-hidden';
    who.textContent = message.from === 'bot' ? TEXT.bot : TEXT.user;
    var bubble = document.createElement('div');
    bubble.className = 'kc-bubble';
    appendText(bubble, message.text);
    item.appendChild(who);
    item.appendChild(bubble);
    if (message.replies && message.replies.length) item.appendChild(renderReplies(message.replies));
    if (message.pending) {
      item.classList.add('kc-msg--pending');
      var mark = document.createElement('span');
      mark.className = 'kc-pending';
      mark.textContent = TEXT.pendingMark;
      item.appendChild(mark);
    }
    return item;
  }

  function renderReplies(replies) {
    var group = document.createElement('div');
    group.className = 'kc-replies';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', TEXT.repliesLabel);
    replies.forEach(function (reply) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'kc-reply';
      button.textContent = reply.title;
      button.addEventListener('click', function () {
        if (send(reply.payload, reply.title)) input.focus();
      });
      group.appendChild(button);
    });
    return group;
  }

  function addMessage(message) {
    state.messages.push(message);
    save();
    var item = renderMessage(message);
    log.appendChild(item);
    scrollToShow(item);
  }

  /** Scrolls the log to the end, or to the top of a message taller than the log. */
  function scrollToShow(item) {
    if (item.offsetHeight > log.clientHeight) {
      log.scrollTop = item.offsetTop - log.offsetTop;
    } else {
      log.scrollTop = log.scrollHeight;
    }
  }

  /** Removes the quick replies once the user has answered (they belong to one question). */
  function clearReplies() {
    state.messages.forEach(function (m) { m.replies = []; });
    Array.prototype.forEach.call(log.querySelectorAll('.kc-replies'), function (group) {
      group.parentNode.removeChild(group);
    });
  }

  function renderAll() {
    log.textContent = '';
    state.messages.forEach(function (m) { log.appendChild(renderMessage(m)); });
    log.scrollTop = log.scrollHeight;
  }

  /** Shows (and announces) a line about the connection; '' hides it. */
  function showStatus(text, kind, hideAfterMs) {
    if (text && !hideAfterMs && !statusLine.hidden && statusLine.getAttribute('data-text') === text) return;
    clearTimeout(statusTimer);
    statusLine.textContent = '';
    statusLine.setAttribute('data-text', text || '');
    if (!text) {
      statusLine.hidden = true;
      return;
    }
    appendText(statusLine, text);
    statusLine.className = 'kc-status' + (kind ? ' kc-status--' + kind : '');
    statusLine.hidden = false;
    if (hideAfterMs) statusTimer = setTimeout(function () { showStatus(''); }, hideAfterMs);
  }

  function unreachableText() {
    var contact = config && config.contact;
    if (!contact || !contact.name || !contact.phone) return TEXT.unreachable;
    return TEXT.unreachable + TEXT.callInstead.replace('{name}', contact.name).replace('{phone}', contact.phone);
  }

  function startWaiting() {
    typing.hidden = false;
    clearTimeout(waitTimer);
    waitTimer = setTimeout(function () {
      typing.hidden = true;
      showStatus(TEXT.noReply, 'error');
    }, REPLY_TIMEOUT_MS);
  }

  function stopWaiting() {
    typing.hidden = true;
    clearTimeout(waitTimer);
  }

  // ── socket.io ──────────────────────────────────────────────────────────────
  function loadConfig() {
    if (config) return Promise.resolve(config);
    var fallback = {
      socketUrl: window.location.protocol + '//' + window.location.hostname + ':5005',
      socketPath: '/socket.io/',
      contact: null
    };
    return window.fetch('/config.json', { cache: 'no-store' })
      .then(function (response) { return response.ok ? response.json() : fallback; })
      .catch(function () { return fallback; })
      .then(function (loaded) { config = loaded; return config; });
  }

  function setReady(value) {
    ready = value;
    root.setAttribute('data-connection', value ? 'ready' : 'offline');
  }

  function connect() {
    if (socket) return;
    socket = 'pending';
    loadConfig().then(function () {
      if (socket !== 'pending') return;  // reset while the config was loading
      if (typeof window.io !== 'function') {
        socket = null;
        showStatus(unreachableText(), 'error');
        return;
      }
      showStatus(TEXT.connecting);
      var s = window.io(config.socketUrl, {
        path: config.socketPath || '/socket.io/',
        transports: ['websocket'],
        reconnectionDelay: 1000,
        reconnectionDelayMax: 10000,
        timeout: 10000
      });
      socket = s;
      s.on('connect', function () {
        s.emit('session_request', { session_id: state.sessionId });
      });
      s.on('session_confirm', function (data) {
        var id = typeof data === 'string' ? data : data && data.session_id;
        if (typeof id !== 'string' || !id) return;
        state.sessionId = id;
        save();
        setReady(true);
        showStatus(everConnected ? TEXT.reconnected : announceOnConfirm, null, 3000);
        everConnected = true;
        announceOnConfirm = '';
        flushPending();
      });
      s.on('bot_uttered', receive);
      s.on('disconnect', function (reason) {
        setReady(false);
        stopWaiting();
        if (reason === 'io client disconnect') return;
        showStatus(TEXT.dropped, 'error');
        if (reason === 'io server disconnect') s.connect();  // socket.io retries by itself otherwise
      });
      s.on('connect_error', function () {
        setReady(false);
        showStatus(unreachableText(), 'error');
      });
    });
  }

  function disconnect() {
    if (socket && socket !== 'pending') socket.disconnect();
    socket = null;
    setReady(false);
  }

  /** A message from the bot: text and/or quick replies (Rasa sends each paragraph apart). */
  function receive(data) {
    if (!data || typeof data !== 'object') return;
    stopWaiting();
    var replies = cleanReplies(data.quick_replies || data.buttons);
    var text = typeof data.text === 'string' ? data.text.trim() : '';
    var attachment = data.attachment && data.attachment.payload;
    if (!text && attachment && typeof attachment.src === 'string' && /^https?:\/\//.test(attachment.src)) {
      text = attachment.src;
    }
    if (!text && !replies.length) return;
    addMessage({ from: 'bot', text: text, replies: replies });
  }

  /** Sends `payload` to the bot and shows `shown` (a button's title) or the payload itself.
   *  Before the session is confirmed (connecting, reconnecting) the message waits, shown as
   *  送信待ち, and goes out once it is. */
  function send(payload, shown) {
    var message = (payload || '').trim();
    if (!message) return false;
    clearReplies();
    if (!ready) {
      addMessage({ from: 'user', text: shown || message, replies: [], pending: message });
      if (statusLine.hidden || statusLine.className.indexOf('kc-status--error') < 0) showStatus(TEXT.queued);
      connect();
      return true;
    }
    socket.emit('user_uttered', { message: message, session_id: state.sessionId,
                                  metadata: { language: state.language } });
    addMessage({ from: 'user', text: shown || message, replies: [] });
    startWaiting();
    return true;
  }

  /** Sends the messages that waited for the connection, in order. */
  function flushPending() {
    var waiting = state.messages.filter(function (m) { return m.pending; });
    if (!waiting.length) return;
    waiting.forEach(function (m) {
      socket.emit('user_uttered', { message: m.pending, session_id: state.sessionId,
                                    metadata: { language: state.language } });
      delete m.pending;
    });
    save();
    Array.prototype.forEach.call(log.querySelectorAll('.kc-msg--pending'), function (item) {
      item.classList.remove('kc-msg--pending');
      var mark = item.querySelector('.kc-pending');
      if (mark) item.removeChild(mark);
    });
    startWaiting();
  }

  // ── panel ──────────────────────────────────────────────────────────────────
  function open(focusInput) {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute('aria-expanded', 'true');
    document.documentElement.classList.add('kc-open');
    state.open = true;
    if (!state.messages.length) addMessage({ from: 'bot', text: TEXT.welcome, replies: TEXT.examples });
    save();
    log.scrollTop = log.scrollHeight;
    connect();
    if (focusInput) input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute('aria-expanded', 'false');
    document.documentElement.classList.remove('kc-open');
    state.open = false;
    save();
    launcher.focus();
  }

  /** The widget's words in the conversation's language (the switch, labels, placeholder). */
  function applyLanguage() {
    TEXT = TEXTS[state.language] || TEXTS.ja;
    root.setAttribute('lang', state.language);
    document.getElementById('kc-title').textContent = TEXT.title;
    input.placeholder = TEXT.placeholder;
    document.querySelector('label[for="kc-input"]').textContent = TEXT.inputLabel;
    document.getElementById('kc-hint').textContent = TEXT.hint;
    document.getElementById('kc-send').textContent = TEXT.sendLabel;
    resetButton.textContent = TEXT.resetLabel;
    closeButton.setAttribute('aria-label', TEXT.closeLabel);
    typing.lastChild.textContent = TEXT.typing;
    log.setAttribute('aria-label', state.language === 'en' ? 'Conversation' : '会話');
    if (languageButton) {
      languageButton.textContent = TEXT.switchTo;
      languageButton.setAttribute('aria-label', TEXT.switchLabel);
      languageButton.setAttribute('lang', state.language === 'en' ? 'ja' : 'en');
    }
  }

  /** The 日本語 / English switch: the bot answers in the language chosen from now on. */
  function switchLanguage() {
    state.language = state.language === 'en' ? 'ja' : 'en';
    save();
    applyLanguage();
    addMessage({ from: 'bot', text: TEXT.switched, replies: TEXT.examples });
    input.focus();
  }

  function restart() {
    disconnect();
    stopWaiting();
    state = emptyState(state.language);
    state.open = true;
    renderAll();
    addMessage({ from: 'bot', text: TEXT.welcome, replies: TEXT.examples });
    everConnected = false;
    announceOnConfirm = TEXT.restarted;
    connect();
    input.focus();
  }

  function autosize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 128) + 'px';
  }

  if (languageButton) languageButton.addEventListener('click', switchLanguage);
  launcher.addEventListener('click', function () { open(true); });
  closeButton.addEventListener('click', close);
  resetButton.addEventListener('click', restart);
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && !event.isComposing && event.keyCode !== 229) close();
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (send(input.value)) {
      input.value = '';
      autosize();
    }
  });
  // Example questions on the page (data-chat-ask): open the chat and ask.
  Array.prototype.forEach.call(document.querySelectorAll('[data-chat-ask]'), function (button) {
    button.addEventListener('click', function () {
      open(true);
      send(button.textContent);
    });
  });
  input.addEventListener('input', autosize);
  input.addEventListener('compositionstart', function () { composing = true; });
  input.addEventListener('compositionend', function () { composing = false; });
  input.addEventListener('keydown', function (event) {
    if (event.key !== 'Enter' || event.shiftKey || event.altKey) return;
    // The Enter that confirms an IME conversion is not a send (Safari reports it after
    // compositionend, with keyCode 229).
    if (event.isComposing || event.keyCode === 229 || composing) return;
    event.preventDefault();
    form.requestSubmit();
  });

  setReady(false);
  applyLanguage();
  renderAll();
  if (state.open) open(false);
  else if (state.sessionId) connect();
}());
