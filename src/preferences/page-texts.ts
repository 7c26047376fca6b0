import type { Channel, Purpose } from '../consent/types.js';

/** The preference centre's words, per language. `{business}` and `{who}` are filled in. */
export interface PageTexts {
  title: string;
  intro: string;
  who: string;
  purposes: Record<Purpose, { label: string; hint: string }>;
  channels: Record<Channel, string>;
  save: string;
  saved: string;
  unchanged: string;
  expiredTitle: string;
  expiredBody: string;
  invalidTitle: string;
  invalidBody: string;
  goneTitle: string;
  goneBody: string;
}

export const PAGE_TEXTS: Readonly<Record<string, PageTexts>> = {
  en: {
    title: 'Your message preferences',
    intro: 'Choose which messages {business} may send you, and where. Untick a box to stop those messages.',
    who: 'For {who}',
    purposes: {
      marketing: { label: 'Offers and news', hint: 'Promotions, new products and newsletters.' },
      utility: { label: 'Orders and account', hint: 'Order confirmations, delivery updates and account notices.' },
      authentication: { label: 'Security codes', hint: 'One-time codes you ask for to sign in or confirm something.' },
      service: { label: 'Replies to you', hint: 'Answers from our team when you contact us.' },
    },
    channels: { whatsapp: 'WhatsApp', sms: 'SMS', email: 'Email' },
    save: 'Save my choices',
    saved: 'Your choices were saved.',
    unchanged: 'Nothing changed: your choices were already these.',
    expiredTitle: 'This link has expired',
    expiredBody: 'Links to this page work for a limited time. Ask us for a new one, or reply STOP in WhatsApp to stop promotional messages.',
    invalidTitle: 'This link is not valid',
    invalidBody: 'It may have been changed or copied incompletely. Open the link from the message you received, or ask us for a new one.',
    goneTitle: 'These preferences no longer exist',
    goneBody: 'We no longer hold data about this contact, so there is nothing to choose.',
  },
  es: {
    title: 'Tus preferencias de mensajes',
    intro: 'Elige qué mensajes puede enviarte {business} y por dónde. Desmarca una casilla para dejar de recibirlos.',
    who: 'Para {who}',
    purposes: {
      marketing: { label: 'Ofertas y novedades', hint: 'Promociones, productos nuevos y boletines.' },
      utility: { label: 'Pedidos y cuenta', hint: 'Confirmaciones de pedidos, avisos de entrega y de tu cuenta.' },
      authentication: { label: 'Códigos de seguridad', hint: 'Códigos de un solo uso que pides para entrar o confirmar algo.' },
      service: { label: 'Respuestas para ti', hint: 'Respuestas de nuestro equipo cuando nos escribes.' },
    },
    channels: { whatsapp: 'WhatsApp', sms: 'SMS', email: 'Correo electrónico' },
    save: 'Guardar mis preferencias',
    saved: 'Tus preferencias se han guardado.',
    unchanged: 'No ha cambiado nada: ya tenías estas preferencias.',
    expiredTitle: 'Este enlace ha caducado',
    expiredBody: 'Los enlaces a esta página valen por un tiempo limitado. Pídenos uno nuevo, o responde BAJA en WhatsApp para dejar de recibir promociones.',
    invalidTitle: 'Este enlace no es válido',
    invalidBody: 'Puede que se haya modificado o copiado incompleto. Abre el enlace desde el mensaje que recibiste, o pídenos uno nuevo.',
    goneTitle: 'Estas preferencias ya no existen',
    goneBody: 'Ya no guardamos datos de este contacto, así que no hay nada que elegir.',
  },
  pt: {
    title: 'Suas preferências de mensagens',
    intro: 'Escolha quais mensagens {business} pode enviar para você, e por onde. Desmarque uma opção para deixar de recebê-las.',
    who: 'Para {who}',
    purposes: {
      marketing: { label: 'Ofertas e novidades', hint: 'Promoções, produtos novos e newsletters.' },
      utility: { label: 'Pedidos e conta', hint: 'Confirmações de pedidos, atualizações de entrega e avisos da sua conta.' },
      authentication: { label: 'Códigos de segurança', hint: 'Códigos de uso único que você pede para entrar ou confirmar algo.' },
      service: { label: 'Respostas para você', hint: 'Respostas da nossa equipe quando você nos escreve.' },
    },
    channels: { whatsapp: 'WhatsApp', sms: 'SMS', email: 'E-mail' },
    save: 'Salvar minhas escolhas',
    saved: 'Suas escolhas foram salvas.',
    unchanged: 'Nada mudou: suas escolhas já eram essas.',
    expiredTitle: 'Este link expirou',
    expiredBody: 'Os links para esta página valem por tempo limitado. Peça um novo, ou responda SAIR no WhatsApp para não receber promoções.',
    invalidTitle: 'Este link não é válido',
    invalidBody: 'Ele pode ter sido alterado ou copiado pela metade. Abra o link pela mensagem que você recebeu, ou peça um novo.',
    goneTitle: 'Estas preferências não existem mais',
    goneBody: 'Não guardamos mais dados deste contato, então não há nada a escolher.',
  },
  fr: {
    title: 'Vos préférences de messages',
    intro: 'Choisissez quels messages {business} peut vous envoyer, et par quel moyen. Décochez une case pour ne plus les recevoir.',
    who: 'Pour {who}',
    purposes: {
      marketing: { label: 'Offres et nouveautés', hint: 'Promotions, nouveaux produits et lettres d’information.' },
      utility: { label: 'Commandes et compte', hint: 'Confirmations de commande, suivi de livraison et avis sur votre compte.' },
      authentication: { label: 'Codes de sécurité', hint: 'Codes à usage unique que vous demandez pour vous connecter ou confirmer.' },
      service: { label: 'Réponses à vos messages', hint: 'Réponses de notre équipe quand vous nous écrivez.' },
    },
    channels: { whatsapp: 'WhatsApp', sms: 'SMS', email: 'E-mail' },
    save: 'Enregistrer mes choix',
    saved: 'Vos choix ont été enregistrés.',
    unchanged: 'Rien n’a changé : vos choix étaient déjà ceux-ci.',
    expiredTitle: 'Ce lien a expiré',
    expiredBody: 'Les liens vers cette page sont valables un temps limité. Demandez-nous-en un nouveau, ou répondez STOP dans WhatsApp pour ne plus recevoir de promotions.',
    invalidTitle: 'Ce lien n’est pas valide',
    invalidBody: 'Il a peut-être été modifié ou copié incomplètement. Ouvrez le lien depuis le message reçu, ou demandez-nous-en un nouveau.',
    goneTitle: 'Ces préférences n’existent plus',
    goneBody: 'Nous ne conservons plus de données sur ce contact : il n’y a rien à choisir.',
  },
  de: {
    title: 'Ihre Nachrichten-Einstellungen',
    intro: 'Wählen Sie, welche Nachrichten {business} Ihnen senden darf und auf welchem Weg. Entfernen Sie einen Haken, um diese Nachrichten abzubestellen.',
    who: 'Für {who}',
    purposes: {
      marketing: { label: 'Angebote und Neuigkeiten', hint: 'Aktionen, neue Produkte und Newsletter.' },
      utility: { label: 'Bestellungen und Konto', hint: 'Bestellbestätigungen, Lieferinformationen und Hinweise zu Ihrem Konto.' },
      authentication: { label: 'Sicherheitscodes', hint: 'Einmalcodes, die Sie zum Anmelden oder Bestätigen anfordern.' },
      service: { label: 'Antworten an Sie', hint: 'Antworten unseres Teams, wenn Sie uns schreiben.' },
    },
    channels: { whatsapp: 'WhatsApp', sms: 'SMS', email: 'E-Mail' },
    save: 'Auswahl speichern',
    saved: 'Ihre Auswahl wurde gespeichert.',
    unchanged: 'Nichts geändert: Ihre Auswahl war bereits so.',
    expiredTitle: 'Dieser Link ist abgelaufen',
    expiredBody: 'Links zu dieser Seite gelten nur begrenzte Zeit. Fragen Sie uns nach einem neuen, oder antworten Sie in WhatsApp mit STOPP, um keine Werbung mehr zu erhalten.',
    invalidTitle: 'Dieser Link ist ungültig',
    invalidBody: 'Er wurde vielleicht verändert oder unvollständig kopiert. Öffnen Sie den Link aus der erhaltenen Nachricht, oder fragen Sie uns nach einem neuen.',
    goneTitle: 'Diese Einstellungen gibt es nicht mehr',
    goneBody: 'Wir speichern keine Daten mehr zu diesem Kontakt; es gibt nichts auszuwählen.',
  },
  it: {
    title: 'Le tue preferenze sui messaggi',
    intro: 'Scegli quali messaggi {business} può inviarti, e dove. Togli la spunta per non riceverli più.',
    who: 'Per {who}',
    purposes: {
      marketing: { label: 'Offerte e novità', hint: 'Promozioni, nuovi prodotti e newsletter.' },
      utility: { label: 'Ordini e account', hint: 'Conferme d’ordine, aggiornamenti sulla consegna e avvisi sull’account.' },
      authentication: { label: 'Codici di sicurezza', hint: 'Codici monouso che richiedi per accedere o confermare.' },
      service: { label: 'Risposte a te', hint: 'Risposte del nostro team quando ci scrivi.' },
    },
    channels: { whatsapp: 'WhatsApp', sms: 'SMS', email: 'E-mail' },
    save: 'Salva le mie scelte',
    saved: 'Le tue scelte sono state salvate.',
    unchanged: 'Nulla è cambiato: le tue scelte erano già queste.',
    expiredTitle: 'Questo link è scaduto',
    expiredBody: 'I link a questa pagina valgono per un tempo limitato. Chiedicene uno nuovo, o rispondi STOP su WhatsApp per non ricevere più promozioni.',
    invalidTitle: 'Questo link non è valido',
    invalidBody: 'Potrebbe essere stato modificato o copiato in modo incompleto. Apri il link dal messaggio ricevuto, o chiedicene uno nuovo.',
    goneTitle: 'Queste preferenze non esistono più',
    goneBody: 'Non conserviamo più dati su questo contatto, quindi non c’è nulla da scegliere.',
  },
  ar: {
    title: 'تفضيلات الرسائل',
    intro: 'اختر الرسائل التي يمكن أن يرسلها إليك {business} والوسيلة. أزل العلامة لإيقاف هذه الرسائل.',
    who: 'إلى {who}',
    purposes: {
      marketing: { label: 'العروض والأخبار', hint: 'العروض الترويجية والمنتجات الجديدة والنشرات.' },
      utility: { label: 'الطلبات والحساب', hint: 'تأكيدات الطلبات وتحديثات التوصيل وإشعارات الحساب.' },
      authentication: { label: 'رموز الأمان', hint: 'رموز تستخدم مرة واحدة تطلبها لتسجيل الدخول أو التأكيد.' },
      service: { label: 'الردود عليك', hint: 'ردود فريقنا عندما تراسلنا.' },
    },
    channels: { whatsapp: 'واتساب', sms: 'رسائل SMS', email: 'البريد الإلكتروني' },
    save: 'حفظ اختياراتي',
    saved: 'تم حفظ اختياراتك.',
    unchanged: 'لم يتغير شيء: اختياراتك كانت كذلك بالفعل.',
    expiredTitle: 'انتهت صلاحية هذا الرابط',
    expiredBody: 'روابط هذه الصفحة صالحة لمدة محدودة. اطلب منا رابطًا جديدًا، أو أرسل توقف في واتساب لإيقاف الرسائل الترويجية.',
    invalidTitle: 'هذا الرابط غير صالح',
    invalidBody: 'ربما تم تغييره أو نسخه بشكل ناقص. افتح الرابط من الرسالة التي وصلتك، أو اطلب منا رابطًا جديدًا.',
    goneTitle: 'هذه التفضيلات لم تعد موجودة',
    goneBody: 'لم نعد نحتفظ ببيانات هذا الاتصال، فلا يوجد ما تختاره.',
  },
  hi: {
    title: 'आपकी संदेश प्राथमिकताएँ',
    intro: 'चुनें कि {business} आपको कौन-से संदेश और कहाँ भेज सकता है। वे संदेश बंद करने के लिए बॉक्स से निशान हटाएँ।',
    who: '{who} के लिए',
    purposes: {
      marketing: { label: 'ऑफ़र और खबरें', hint: 'प्रचार, नए उत्पाद और न्यूज़लेटर।' },
      utility: { label: 'ऑर्डर और खाता', hint: 'ऑर्डर की पुष्टि, डिलीवरी की जानकारी और खाते की सूचनाएँ।' },
      authentication: { label: 'सुरक्षा कोड', hint: 'साइन इन या पुष्टि के लिए आपके माँगे गए एक बार के कोड।' },
      service: { label: 'आपको जवाब', hint: 'जब आप हमें लिखते हैं तो हमारी टीम के जवाब।' },
    },
    channels: { whatsapp: 'WhatsApp', sms: 'SMS', email: 'ईमेल' },
    save: 'मेरी पसंद सहेजें',
    saved: 'आपकी पसंद सहेज ली गई है।',
    unchanged: 'कुछ नहीं बदला: आपकी पसंद पहले से यही थी।',
    expiredTitle: 'इस लिंक की अवधि समाप्त हो गई है',
    expiredBody: 'इस पेज के लिंक सीमित समय तक चलते हैं। हमसे नया लिंक माँगें, या प्रचार संदेश बंद करने के लिए WhatsApp पर रोकें भेजें।',
    invalidTitle: 'यह लिंक मान्य नहीं है',
    invalidBody: 'शायद इसे बदला गया है या अधूरा कॉपी किया गया है। मिले हुए संदेश से लिंक खोलें, या हमसे नया लिंक माँगें।',
    goneTitle: 'ये प्राथमिकताएँ अब मौजूद नहीं हैं',
    goneBody: 'हम अब इस संपर्क का कोई डेटा नहीं रखते, इसलिए चुनने के लिए कुछ नहीं है।',
  },
  id: {
    title: 'Preferensi pesan Anda',
    intro: 'Pilih pesan apa yang boleh dikirim {business} kepada Anda, dan lewat mana. Hapus centang untuk berhenti menerimanya.',
    who: 'Untuk {who}',
    purposes: {
      marketing: { label: 'Penawaran dan berita', hint: 'Promosi, produk baru, dan buletin.' },
      utility: { label: 'Pesanan dan akun', hint: 'Konfirmasi pesanan, kabar pengiriman, dan pemberitahuan akun.' },
      authentication: { label: 'Kode keamanan', hint: 'Kode sekali pakai yang Anda minta untuk masuk atau konfirmasi.' },
      service: { label: 'Balasan untuk Anda', hint: 'Jawaban tim kami saat Anda menghubungi kami.' },
    },
    channels: { whatsapp: 'WhatsApp', sms: 'SMS', email: 'Email' },
    save: 'Simpan pilihan saya',
    saved: 'Pilihan Anda telah disimpan.',
    unchanged: 'Tidak ada yang berubah: pilihan Anda memang sudah begini.',
    expiredTitle: 'Tautan ini sudah kedaluwarsa',
    expiredBody: 'Tautan ke halaman ini berlaku terbatas. Minta tautan baru kepada kami, atau balas BERHENTI di WhatsApp untuk berhenti menerima promosi.',
    invalidTitle: 'Tautan ini tidak valid',
    invalidBody: 'Mungkin sudah diubah atau tersalin tidak lengkap. Buka tautan dari pesan yang Anda terima, atau minta tautan baru kepada kami.',
    goneTitle: 'Preferensi ini sudah tidak ada',
    goneBody: 'Kami tidak lagi menyimpan data kontak ini, jadi tidak ada yang perlu dipilih.',
  },
};

export const RTL_LANGUAGES = new Set(['ar']);

/** The page language: the contact's, else the browser's first one we have, else English. */
export function pageLanguage(contactLanguage: string | null | undefined, acceptLanguage: string | undefined): string {
  const candidates = [contactLanguage ?? '', ...(acceptLanguage ?? '').split(',').map((part) => part.split(';')[0].trim())];
  for (const candidate of candidates) {
    const base = candidate.toLowerCase().split(/[-_]/)[0];
    if (base && PAGE_TEXTS[base]) return base;
  }
  return 'en';
}
