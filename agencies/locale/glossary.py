"""Translations of the agencies app's interface (es, fr, pt), filled into the catalogues by
``python agencies/locale/fill.py`` after ``makemessages`` (see docs/PEOPLE_AND_TRUST.md)."""

# msgid -> (es, fr, pt); plural entries: (singular, plural) -> ((es1, es2), (fr1, fr2), (pt1, pt2))
T: dict[str, tuple[str, str, str]] = {
    "This code does not match. Check the phone's clock and retry.": (
        "El código no coincide. Verifique la hora del teléfono e inténtelo de nuevo.",
        "Ce code ne correspond pas. Vérifiez l'heure du téléphone et réessayez.",
        "Este código não confere. Verifique o relógio do telefone e tente de novo.",
    ),
    "You used a recovery code. %(left)s remain.": (
        "Usó un código de recuperación. Quedan %(left)s.",
        "Vous avez utilisé un code de secours. Il en reste %(left)s.",
        "Você usou um código de recuperação. Restam %(left)s.",
    ),
    "This code is not valid. Wait for the next code and retry.": (
        "Este código no es válido. Espere el siguiente código e inténtelo de nuevo.",
        "Ce code n'est pas valide. Attendez le code suivant et réessayez.",
        "Este código não é válido. Aguarde o próximo código e tente de novo.",
    ),
    "You are signed out.": (
        "Ha cerrado la sesión.",
        "Vous êtes déconnecté.",
        "Você saiu.",
    ),
    "Your password was changed. You were told by e-mail.": (
        "Su contraseña fue cambiada. Se le avisó por correo electrónico.",
        "Votre mot de passe a été changé. Vous en avez été informé par courriel.",
        "Sua senha foi alterada. Você foi avisado por e-mail.",
    ),
    "Your API token was revoked.": (
        "Su token de API fue revocado.",
        "Votre jeton d'API a été révoqué.",
        "Seu token de API foi revogado.",
    ),
    "You may not do this.": (
        "No puede hacer esto.",
        "Vous ne pouvez pas faire cela.",
        "Você não pode fazer isso.",
    ),
    "Another agency already uses the acronym %(acronym)s.": (
        "Otra agencia ya usa la sigla %(acronym)s.",
        "Une autre agence utilise déjà le sigle %(acronym)s.",
        "Outra agência já usa a sigla %(acronym)s.",
    ),
    "There is already a platform operator agency.": (
        "Ya existe una agencia operadora de la plataforma.",
        "Il existe déjà une agence opératrice de la plateforme.",
        "Já existe uma agência operadora da plataforma.",
    ),
    "An agency cannot be its own parent or ancestor.": (
        "Una agencia no puede ser su propia agencia superior ni antecesora.",
        "Une agence ne peut pas être sa propre agence mère ni ancêtre.",
        "Uma agência não pode ser sua própria agência superior nem ancestral.",
    ),
    "Choose analyst, liaison or agency_admin.": (
        "Elija analyst, liaison o agency_admin.",
        "Choisissez analyst, liaison ou agency_admin.",
        "Escolha analyst, liaison ou agency_admin.",
    ),
    "Give a username.": (
        "Indique un nombre de usuario.",
        "Indiquez un nom d'utilisateur.",
        "Informe um nome de usuário.",
    ),
    "This username is taken: a person belongs to one agency only, with one account.": (
        "Este nombre de usuario ya existe: una persona pertenece a una sola agencia, con una "
        "sola cuenta.",
        "Ce nom d'utilisateur est pris : une personne appartient à une seule agence, avec un "
        "seul compte.",
        "Este nome de usuário já existe: uma pessoa pertence a uma única agência, com uma "
        "única conta.",
    ),
    "Agency admins create accounts in their own agency only.": (
        "Los administradores de agencia solo crean cuentas en su propia agencia.",
        "Les administrateurs d'agence ne créent des comptes que dans leur propre agence.",
        "Administradores de agência só criam contas na própria agência.",
    ),
    "This agency is not active.": (
        "Esta agencia no está activa.",
        "Cette agence n'est pas active.",
        "Esta agência não está ativa.",
    ),
    "Only platform admins create platform admins.": (
        "Solo los administradores de la plataforma crean administradores de la plataforma.",
        "Seuls les administrateurs de la plateforme créent des administrateurs de la plateforme.",
        "Somente administradores da plataforma criam administradores da plataforma.",
    ),
    "Platform admins belong to the operator agency.": (
        "Los administradores de la plataforma pertenecen a la agencia operadora.",
        "Les administrateurs de la plateforme appartiennent à l'agence opératrice.",
        "Administradores da plataforma pertencem à agência operadora.",
    ),
    "This username is taken.": (
        "Este nombre de usuario ya existe.",
        "Ce nom d'utilisateur est pris.",
        "Este nome de usuário já existe.",
    ),
    "You may not manage this account.": (
        "No puede gestionar esta cuenta.",
        "Vous ne pouvez pas gérer ce compte.",
        "Você não pode gerenciar esta conta.",
    ),
    "A person belongs to one agency: an account cannot move. Create a new account in the "
    "other agency.": (
        "Una persona pertenece a una sola agencia: una cuenta no se traslada. Cree una cuenta "
        "nueva en la otra agencia.",
        "Une personne appartient à une seule agence : un compte ne change pas d'agence. Créez "
        "un nouveau compte dans l'autre agence.",
        "Uma pessoa pertence a uma única agência: uma conta não muda de agência. Crie uma "
        "conta nova na outra agência.",
    ),
    "Platform admins keep the agency admin role.": (
        "Los administradores de la plataforma conservan el rol de administrador de agencia.",
        "Les administrateurs de la plateforme gardent le rôle d'administrateur d'agence.",
        "Administradores da plataforma mantêm o papel de administrador de agência.",
    ),
    "Only platform admins change this.": (
        "Solo los administradores de la plataforma cambian esto.",
        "Seuls les administrateurs de la plateforme modifient ceci.",
        "Somente administradores da plataforma alteram isto.",
    ),
    "You cannot remove your own platform admin rights.": (
        "No puede quitarse sus propios derechos de administrador de la plataforma.",
        "Vous ne pouvez pas retirer vos propres droits d'administrateur de la plateforme.",
        "Você não pode remover seus próprios direitos de administrador da plataforma.",
    ),
    "You cannot deactivate your own account.": (
        "No puede desactivar su propia cuenta.",
        "Vous ne pouvez pas désactiver votre propre compte.",
        "Você não pode desativar sua própria conta.",
    ),
    "An agency's trust in itself is not set: it sees its own.": (
        "La confianza de una agencia en sí misma no se fija: ve lo suyo.",
        "La confiance d'une agence en elle-même ne se fixe pas : elle voit ce qui est à elle.",
        "A confiança de uma agência em si mesma não é definida: ela vê o que é seu.",
    ),
    "The trust level is 0, 1, 2 or 3.": (
        "El nivel de confianza es 0, 1, 2 o 3.",
        "Le niveau de confiance est 0, 1, 2 ou 3.",
        "O nível de confiança é 0, 1, 2 ou 3.",
    ),
    "Say why the trust level changes.": (
        "Indique por qué cambia el nivel de confianza.",
        "Indiquez pourquoi le niveau de confiance change.",
        "Diga por que o nível de confiança muda.",
    ),
    "The trust level is already %(level)s.": (
        "El nivel de confianza ya es %(level)s.",
        "Le niveau de confiance est déjà %(level)s.",
        "O nível de confiança já é %(level)s.",
    ),
    "Another team already has this name.": (
        "Otro equipo ya tiene este nombre.",
        "Une autre équipe porte déjà ce nom.",
        "Outra equipe já tem este nome.",
    ),
    "A team cannot end before it starts.": (
        "Un equipo no puede terminar antes de empezar.",
        "Une équipe ne peut pas finir avant de commencer.",
        "Uma equipe não pode terminar antes de começar.",
    ),
    "Inactive agencies cannot join a team.": (
        "Las agencias inactivas no pueden integrar un equipo.",
        "Les agences inactives ne peuvent pas rejoindre une équipe.",
        "Agências inativas não podem integrar uma equipe.",
    ),
    "Only active people of an agency can join a team.": (
        "Solo las personas activas de una agencia pueden integrar un equipo.",
        "Seules les personnes actives d'une agence peuvent rejoindre une équipe.",
        "Somente pessoas ativas de uma agência podem integrar uma equipe.",
    ),
    "Agency admins add people of their own agency; a platform admin adds people of other "
    "agencies.": (
        "Los administradores de agencia agregan personas de su propia agencia; un administrador "
        "de la plataforma agrega personas de otras agencias.",
        "Les administrateurs d'agence ajoutent des personnes de leur agence ; un administrateur "
        "de la plateforme ajoute des personnes d'autres agences.",
        "Administradores de agência adicionam pessoas da própria agência; um administrador da "
        "plataforma adiciona pessoas de outras agências.",
    ),
    "You may not manage this team.": (
        "No puede gestionar este equipo.",
        "Vous ne pouvez pas gérer cette équipe.",
        "Você não pode gerenciar esta equipe.",
    ),
    "Only platform admins change who manages a team.": (
        "Solo los administradores de la plataforma cambian quién gestiona un equipo.",
        "Seuls les administrateurs de la plateforme changent qui gère une équipe.",
        "Somente administradores da plataforma mudam quem gerencia uma equipe.",
    ),
    "%(input)s is not an ISO 3166 country code.": (
        "%(input)s no es un código de país ISO 3166.",
        "%(input)s n'est pas un code de pays ISO 3166.",
        "%(input)s não é um código de país ISO 3166.",
    ),
    "%(value)s is not an ISO 3166 country code.": (
        "%(value)s no es un código de país ISO 3166.",
        "%(value)s n'est pas un code de pays ISO 3166.",
        "%(value)s não é um código de país ISO 3166.",
    ),
    "This field is required.": (
        "Este campo es obligatorio.",
        "Ce champ est obligatoire.",
        "Este campo é obrigatório.",
    ),
    "A username does not change.": (
        "Un nombre de usuario no cambia.",
        "Un nom d'utilisateur ne change pas.",
        "Um nome de usuário não muda.",
    ),
    "Why the level changes. Required on every change.": (
        "Por qué cambia el nivel. Obligatorio en cada cambio.",
        "Pourquoi le niveau change. Obligatoire à chaque changement.",
        "Por que o nível muda. Obrigatório a cada mudança.",
    ),
    "Change the level of this pair; set another pair with POST.": (
        "Cambie el nivel de este par; fije otro par con POST.",
        "Changez le niveau de cette paire ; fixez une autre paire avec POST.",
        "Altere o nível deste par; defina outro par com POST.",
    ),
    "Member people. You see the ids of people you may see (your agency's, or everyone for "
    "platform admins); user_count counts all.": (
        "Personas integrantes. Ve los ids de las personas que puede ver (las de su agencia, o "
        "todas para los administradores de la plataforma); user_count las cuenta todas.",
        "Personnes membres. Vous voyez les ids des personnes que vous pouvez voir (celles de "
        "votre agence, ou toutes pour les administrateurs de la plateforme) ; user_count les "
        "compte toutes.",
        "Pessoas integrantes. Você vê os ids das pessoas que pode ver (as da sua agência, ou "
        "todas para administradores da plataforma); user_count conta todas.",
    ),
    "Agencies, people and trust": (
        "Agencias, personas y confianza",
        "Agences, personnes et confiance",
        "Agências, pessoas e confiança",
    ),
    "Username": ("Usuario", "Nom d'utilisateur", "Usuário"),
    "Password": ("Contraseña", "Mot de passe", "Senha"),
    "Code": ("Código", "Code", "Código"),
    "The 6-digit code of your authenticator app, or one of your recovery codes.": (
        "El código de 6 dígitos de su aplicación de autenticación, o uno de sus códigos de "
        "recuperación.",
        "Le code à 6 chiffres de votre application d'authentification, ou l'un de vos codes de "
        "secours.",
        "O código de 6 dígitos do seu aplicativo autenticador, ou um dos seus códigos de "
        "recuperação.",
    ),
    "Code shown by your authenticator app": (
        "Código que muestra su aplicación de autenticación",
        "Code affiché par votre application d'authentification",
        "Código exibido pelo seu aplicativo autenticador",
    ),
    "First name": ("Nombre", "Prénom", "Nome"),
    "Last name": ("Apellido", "Nom", "Sobrenome"),
    "E-mail": ("Correo electrónico", "Courriel", "E-mail"),
    "Agency": ("Agencia", "Agence", "Agência"),
    "Role": ("Rol", "Rôle", "Papel"),
    "Initial password": ("Contraseña inicial", "Mot de passe initial", "Senha inicial"),
    "At least 12 characters. The person enrols a second factor at first sign-in.": (
        "Al menos 12 caracteres. La persona registra un segundo factor al iniciar sesión por "
        "primera vez.",
        "Au moins 12 caractères. La personne enregistre un second facteur à sa première connexion.",
        "Pelo menos 12 caracteres. A pessoa registra um segundo fator no primeiro acesso.",
    ),
    "Active (may sign in)": (
        "Activa (puede iniciar sesión)",
        "Actif (peut se connecter)",
        "Ativa (pode entrar)",
    ),
    "New password": ("Nueva contraseña", "Nouveau mot de passe", "Nova senha"),
    "Leave empty to keep the current password. The person is told.": (
        "Déjelo vacío para conservar la contraseña actual. Se avisa a la persona.",
        "Laissez vide pour garder le mot de passe actuel. La personne est prévenue.",
        "Deixe vazio para manter a senha atual. A pessoa é avisada.",
    ),
    "Trust level": ("Nivel de confianza", "Niveau de confiance", "Nível de confiança"),
    "Reason": ("Motivo", "Motif", "Motivo"),
    "Kept in the history and shown to both agencies' admins.": (
        "Se conserva en el historial y se muestra a los administradores de ambas agencias.",
        "Conservé dans l'historique et montré aux administrateurs des deux agences.",
        "Guardado no histórico e mostrado aos administradores das duas agências.",
    ),
    "Country": ("País", "Pays", "País"),
    "All countries": ("Todos los países", "Tous les pays", "Todos os países"),
    "Kind": ("Tipo", "Type", "Tipo"),
    "All kinds": ("Todos los tipos", "Tous les types", "Todos os tipos"),
    "Member agencies": ("Agencias integrantes", "Agences membres", "Agências integrantes"),
    "Member people": ("Personas integrantes", "Personnes membres", "Pessoas integrantes"),
    "You were signed out after 30 minutes without activity.": (
        "Se cerró su sesión tras 30 minutos sin actividad.",
        "Vous avez été déconnecté après 30 minutes d'inactivité.",
        "Sua sessão foi encerrada após 30 minutos sem atividade.",
    ),
    "Police (anti-narcotics)": (
        "Policía (antinarcóticos)",
        "Police (antidrogue)",
        "Polícia (antinarcóticos)",
    ),
    "Customs": ("Aduana", "Douane", "Aduana"),
    "Coast guard / navy": (
        "Guardacostas / armada",
        "Garde-côtes / marine",
        "Guarda costeira / marinha",
    ),
    "Drug control agency": (
        "Agencia de control de drogas",
        "Agence de lutte contre la drogue",
        "Agência de controle de drogas",
    ),
    "Financial intelligence unit": (
        "Unidad de inteligencia financiera",
        "Cellule de renseignement financier",
        "Unidade de inteligência financeira",
    ),
    "Prosecutor": ("Fiscalía", "Ministère public", "Ministério Público"),
    "Regional body": ("Organismo regional", "Organisme régional", "Organismo regional"),
    "International body": (
        "Organismo internacional",
        "Organisme international",
        "Organismo internacional",
    ),
    "Platform operator": (
        "Operador de la plataforma",
        "Opérateur de la plateforme",
        "Operador da plataforma",
    ),
    "name": ("nombre", "nom", "nome"),
    "acronym": ("sigla", "sigle", "sigla"),
    "kind": ("tipo", "type", "tipo"),
    "country": ("país", "pays", "país"),
    "ISO 3166-1 alpha-2; regional and international bodies use their seat.": (
        "ISO 3166-1 alfa-2; los organismos regionales e internacionales usan el de su sede.",
        "ISO 3166-1 alpha-2 ; les organismes régionaux et internationaux utilisent celui de "
        "leur siège.",
        "ISO 3166-1 alfa-2; organismos regionais e internacionais usam o da sua sede.",
    ),
    "parent agency": ("agencia superior", "agence mère", "agência superior"),
    "active": ("activa", "active", "ativa"),
    "liaison contact e-mail": (
        "correo de contacto de enlace",
        "courriel du contact de liaison",
        "e-mail do contato de ligação",
    ),
    "liaison contact phone": (
        "teléfono de contacto de enlace",
        "téléphone du contact de liaison",
        "telefone do contato de ligação",
    ),
    "agency": ("agencia", "agence", "agência"),
    "agencies": ("agencias", "agences", "agências"),
    "Analyst": ("Analista", "Analyste", "Analista"),
    "Liaison officer": ("Oficial de enlace", "Officier de liaison", "Oficial de ligação"),
    "Agency admin": (
        "Administrador de agencia",
        "Administrateur d'agence",
        "Administrador de agência",
    ),
    "role": ("rol", "rôle", "papel"),
    "language": ("idioma", "langue", "idioma"),
    "locked at": ("bloqueada el", "verrouillé le", "bloqueada em"),
    "0 — none (CLEAR only)": (
        "0 — ninguna (solo CLEAR)",
        "0 — aucune (CLEAR seulement)",
        "0 — nenhuma (somente CLEAR)",
    ),
    "1 — basic (up to GREEN)": (
        "1 — básica (hasta GREEN)",
        "1 — de base (jusqu'à GREEN)",
        "1 — básica (até GREEN)",
    ),
    "2 — trusted (up to AMBER+STRICT)": (
        "2 — de confianza (hasta AMBER+STRICT)",
        "2 — de confiance (jusqu'à AMBER+STRICT)",
        "2 — de confiança (até AMBER+STRICT)",
    ),
    "3 — close partner (up to RED)": (
        "3 — socio cercano (hasta RED)",
        "3 — partenaire proche (jusqu'à RED)",
        "3 — parceiro próximo (até RED)",
    ),
    "reason": ("motivo", "motif", "motivo"),
    "purpose": ("objetivo", "objet", "finalidade"),
    "active from": ("activo desde", "active depuis", "ativa desde"),
    "active until": ("activo hasta", "active jusqu'au", "ativa até"),
    "Its agency admins manage the membership; empty for platform-run teams.": (
        "Sus administradores de agencia gestionan los integrantes; vacío para los equipos que "
        "gestiona la plataforma.",
        "Ses administrateurs d'agence gèrent les membres ; vide pour les équipes gérées par la "
        "plateforme.",
        "Seus administradores de agência gerenciam os integrantes; vazio para equipes geridas "
        "pela plataforma.",
    ),
    "password": ("contraseña", "mot de passe", "senha"),
    "second factor": ("segundo factor", "second facteur", "segundo fator"),
    "API token": ("Token de API", "Jeton d'API", "Token de API"),
    "A token lets a program call the Enlace API as you: send it as the header Authorization: "
    "Token <key>. It sees exactly what you see. Keep it secret; revoke it when the program no "
    "longer needs it.": (
        "Un token permite que un programa llame a la API de Enlace en su nombre: envíelo en el "
        "encabezado Authorization: Token <key>. Ve exactamente lo que usted ve. Manténgalo en "
        "secreto; revóquelo cuando el programa ya no lo necesite.",
        "Un jeton permet à un programme d'appeler l'API d'Enlace en votre nom : envoyez-le dans "
        "l'en-tête Authorization: Token <key>. Il voit exactement ce que vous voyez. Gardez-le "
        "secret ; révoquez-le quand le programme n'en a plus besoin.",
        "Um token permite que um programa chame a API do Enlace em seu nome: envie-o no "
        "cabeçalho Authorization: Token <key>. Ele vê exatamente o que você vê. Mantenha-o em "
        "segredo; revogue-o quando o programa não precisar mais dele.",
    ),
    "Your new token (shown only now):": (
        "Su nuevo token (solo se muestra ahora):",
        "Votre nouveau jeton (affiché seulement maintenant) :",
        "Seu novo token (exibido somente agora):",
    ),
    "Token created %(when)s.": (
        "Token creado el %(when)s.",
        "Jeton créé le %(when)s.",
        "Token criado em %(when)s.",
    ),
    "Revoke token": ("Revocar token", "Révoquer le jeton", "Revogar token"),
    "Replace with a new token": (
        "Reemplazar por un token nuevo",
        "Remplacer par un nouveau jeton",
        "Substituir por um token novo",
    ),
    "Create token": ("Crear token", "Créer un jeton", "Criar token"),
    "Back to account security": (
        "Volver a la seguridad de la cuenta",
        "Retour à la sécurité du compte",
        "Voltar à segurança da conta",
    ),
    "Sign in": ("Iniciar sesión", "Se connecter", "Entrar"),
    "Sign in to Enlace": ("Iniciar sesión en Enlace", "Se connecter à Enlace", "Entrar no Enlace"),
    "Next you confirm with the code of your authenticator app. At your first sign-in you set "
    "it up by scanning a QR code.": (
        "Después confirma con el código de su aplicación de autenticación. La primera vez la "
        "configura escaneando un código QR.",
        "Ensuite vous confirmez avec le code de votre application d'authentification. À la "
        "première connexion, vous la configurez en scannant un code QR.",
        "Em seguida você confirma com o código do seu aplicativo autenticador. No primeiro "
        "acesso, você o configura lendo um código QR.",
    ),
    "Change password": ("Cambiar contraseña", "Changer le mot de passe", "Alterar senha"),
    "Cancel": ("Cancelar", "Annuler", "Cancelar"),
    "Recovery codes": ("Códigos de recuperación", "Codes de secours", "Códigos de recuperação"),
    "Your recovery codes": (
        "Sus códigos de recuperación",
        "Vos codes de secours",
        "Seus códigos de recuperação",
    ),
    "Your second factor is set up.": (
        "Su segundo factor está configurado.",
        "Votre second facteur est configuré.",
        "Seu segundo fator está configurado.",
    ),
    "If you lose your phone, each of these codes lets you sign in once instead of an app code. "
    "Keep them somewhere safe, away from your phone. They are shown only now; any earlier "
    "codes no longer work.": (
        "Si pierde su teléfono, cada uno de estos códigos le permite iniciar sesión una vez en "
        "lugar de un código de la aplicación. Guárdelos en un lugar seguro, lejos del teléfono. "
        "Solo se muestran ahora; los códigos anteriores ya no funcionan.",
        "Si vous perdez votre téléphone, chacun de ces codes vous permet de vous connecter une "
        "fois à la place d'un code de l'application. Gardez-les en lieu sûr, loin du téléphone. "
        "Ils ne sont affichés que maintenant ; les codes précédents ne fonctionnent plus.",
        "Se você perder o telefone, cada um destes códigos permite entrar uma vez no lugar de "
        "um código do aplicativo. Guarde-os em local seguro, longe do telefone. Eles são "
        "exibidos somente agora; os códigos anteriores não funcionam mais.",
    ),
    "I have kept them — continue": (
        "Ya los guardé — continuar",
        "Je les ai conservés — continuer",
        "Já os guardei — continuar",
    ),
    "Account security": ("Seguridad de la cuenta", "Sécurité du compte", "Segurança da conta"),
    "Changing it signs you out everywhere else; you are told by e-mail.": (
        "Al cambiarla se cierran sus demás sesiones; se le avisa por correo electrónico.",
        "La changer vous déconnecte partout ailleurs ; vous êtes prévenu par courriel.",
        "Alterá-la encerra suas outras sessões; você é avisado por e-mail.",
    ),
    "Second factor": ("Segundo factor", "Second facteur", "Segundo fator"),
    "Authenticator app set up on %(when)s": (
        "Aplicación de autenticación configurada el %(when)s",
        "Application d'authentification configurée le %(when)s",
        "Aplicativo autenticador configurado em %(when)s",
    ),
    "last used": ("último uso", "dernière utilisation", "último uso"),
    "Replace authenticator": (
        "Reemplazar la aplicación de autenticación",
        "Remplacer l'application d'authentification",
        "Substituir o autenticador",
    ),
    "New recovery codes": (
        "Nuevos códigos de recuperación",
        "Nouveaux codes de secours",
        "Novos códigos de recuperação",
    ),
    "You have an API token, created %(when)s.": (
        "Tiene un token de API, creado el %(when)s.",
        "Vous avez un jeton d'API, créé le %(when)s.",
        "Você tem um token de API, criado em %(when)s.",
    ),
    "You have no API token.": (
        "No tiene token de API.",
        "Vous n'avez pas de jeton d'API.",
        "Você não tem token de API.",
    ),
    "Manage API token": (
        "Gestionar el token de API",
        "Gérer le jeton d'API",
        "Gerenciar token de API",
    ),
    "Set up your second factor": (
        "Configure su segundo factor",
        "Configurez votre second facteur",
        "Configure seu segundo fator",
    ),
    "Replace your authenticator": (
        "Reemplace su aplicación de autenticación",
        "Remplacez votre application d'authentification",
        "Substitua seu autenticador",
    ),
    "Every Enlace account signs in with a password and a code from an authenticator app (for "
    "example FreeOTP, Aegis, Google or Microsoft Authenticator). It takes a minute:": (
        "Toda cuenta de Enlace inicia sesión con una contraseña y un código de una aplicación de "
        "autenticación (por ejemplo FreeOTP, Aegis, Google o Microsoft Authenticator). Toma un "
        "minuto:",
        "Tout compte Enlace se connecte avec un mot de passe et un code d'une application "
        "d'authentification (par exemple FreeOTP, Aegis, Google ou Microsoft Authenticator). "
        "Cela prend une minute :",
        "Toda conta do Enlace entra com uma senha e um código de um aplicativo autenticador "
        "(por exemplo FreeOTP, Aegis, Google ou Microsoft Authenticator). Leva um minuto:",
    ),
    "Open the authenticator app on your phone and add an account.": (
        "Abra la aplicación de autenticación en su teléfono y agregue una cuenta.",
        "Ouvrez l'application d'authentification sur votre téléphone et ajoutez un compte.",
        "Abra o aplicativo autenticador no telefone e adicione uma conta.",
    ),
    "Scan this QR code, or type the key below.": (
        "Escanee este código QR, o escriba la clave de abajo.",
        "Scannez ce code QR, ou saisissez la clé ci-dessous.",
        "Leia este código QR, ou digite a chave abaixo.",
    ),
    "Enter the 6-digit code the app shows.": (
        "Ingrese el código de 6 dígitos que muestra la aplicación.",
        "Saisissez le code à 6 chiffres affiché par l'application.",
        "Digite o código de 6 dígitos exibido pelo aplicativo.",
    ),
    "QR code to add Enlace to your authenticator app": (
        "Código QR para agregar Enlace a su aplicación de autenticación",
        "Code QR pour ajouter Enlace à votre application d'authentification",
        "Código QR para adicionar o Enlace ao seu aplicativo autenticador",
    ),
    "Key (if you cannot scan):": (
        "Clave (si no puede escanear):",
        "Clé (si vous ne pouvez pas scanner) :",
        "Chave (se não puder ler o código):",
    ),
    "Key": ("Clave", "Clé", "Chave"),
    "Time-based, 6 digits, every 30 seconds.": (
        "Basado en tiempo, 6 dígitos, cada 30 segundos.",
        "Basé sur le temps, 6 chiffres, toutes les 30 secondes.",
        "Baseado em tempo, 6 dígitos, a cada 30 segundos.",
    ),
    "Confirm": ("Confirmar", "Confirmer", "Confirmar"),
    "Cancel and sign out": (
        "Cancelar y cerrar sesión",
        "Annuler et se déconnecter",
        "Cancelar e sair",
    ),
    "Confirm it is you": (
        "Confirme que es usted",
        "Confirmez que c'est vous",
        "Confirme que é você",
    ),
    "Verify": ("Verificar", "Vérifier", "Verificar"),
    "Lost your phone? Use one of your recovery codes, or ask your agency admin to reset your "
    "second factor.": (
        "¿Perdió su teléfono? Use uno de sus códigos de recuperación, o pida al administrador de "
        "su agencia que restablezca su segundo factor.",
        "Téléphone perdu ? Utilisez l'un de vos codes de secours, ou demandez à l'administrateur "
        "de votre agence de réinitialiser votre second facteur.",
        "Perdeu o telefone? Use um dos seus códigos de recuperação, ou peça ao administrador da "
        "sua agência para redefinir seu segundo fator.",
    ),
    "%(a)s's trust in %(b)s: %(level)s. Change": (
        "Confianza de %(a)s en %(b)s: %(level)s. Cambiar",
        "Confiance de %(a)s envers %(b)s : %(level)s. Modifier",
        "Confiança de %(a)s em %(b)s: %(level)s. Alterar",
    ),
    "%(a)s → %(b)s": ("%(a)s → %(b)s", "%(a)s → %(b)s", "%(a)s → %(b)s"),
    "Save": ("Guardar", "Enregistrer", "Salvar"),
    "Trust levels": ("Niveles de confianza", "Niveaux de confiance", "Níveis de confiança"),
    "Level": ("Nivel", "Niveau", "Nível"),
    "Set": ("Fijado", "Fixé", "Definido"),
    "None set: level 0, only TLP:CLEAR flows.": (
        "Ninguno fijado: nivel 0, solo circula TLP:CLEAR.",
        "Aucun fixé : niveau 0, seul TLP:CLEAR circule.",
        "Nenhum definido: nível 0, só circula TLP:CLEAR.",
    ),
    "Edit agency": ("Editar agencia", "Modifier l'agence", "Editar agência"),
    "Parent agency": ("Agencia superior", "Agence mère", "Agência superior"),
    "Status": ("Estado", "Statut", "Situação"),
    "inactive": ("inactiva", "inactif", "inativa"),
    "Liaison contact": ("Contacto de enlace", "Contact de liaison", "Contato de ligação"),
    "Teams": ("Equipos", "Équipes", "Equipes"),
    "%(acronym)s's trust in others": (
        "Confianza de %(acronym)s en otras",
        "Confiance de %(acronym)s envers les autres",
        "Confiança de %(acronym)s nas outras",
    ),
    "Others' trust in %(acronym)s": (
        "Confianza de otras en %(acronym)s",
        "Confiance des autres envers %(acronym)s",
        "Confiança das outras em %(acronym)s",
    ),
    "Members": ("Integrantes", "Membres", "Integrantes"),
    "Name": ("Nombre", "Nom", "Nome"),
    "platform admin": (
        "administrador de la plataforma",
        "administrateur de la plateforme",
        "administrador da plataforma",
    ),
    "locked": ("bloqueada", "verrouillé", "bloqueada"),
    "No members yet.": (
        "Aún no hay integrantes.",
        "Pas encore de membres.",
        "Ainda sem integrantes.",
    ),
    "Trust history": (
        "Historial de confianza",
        "Historique de la confiance",
        "Histórico de confiança",
    ),
    "Every change of a trust level involving this agency": (
        "Cada cambio de un nivel de confianza que involucra a esta agencia",
        "Chaque changement d'un niveau de confiance concernant cette agence",
        "Cada mudança de um nível de confiança que envolve esta agência",
    ),
    "When (UTC)": ("Cuándo (UTC)", "Quand (UTC)", "Quando (UTC)"),
    "Trust of": ("Confianza de", "Confiance de", "Confiança de"),
    "In": ("En", "Envers", "Em"),
    "From": ("Antes", "Avant", "Antes"),
    "To": ("Después", "Après", "Depois"),
    "By": ("Por", "Par", "Por"),
    "Grants suspended": ("Accesos suspendidos", "Accès suspendus", "Acessos suspensos"),
    "No trust change yet.": (
        "Aún no hay cambios de confianza.",
        "Pas encore de changement de confiance.",
        "Ainda sem mudanças de confiança.",
    ),
    "Trust history pages": (
        "Páginas del historial de confianza",
        "Pages de l'historique de la confiance",
        "Páginas do histórico de confiança",
    ),
    "Newer": ("Más recientes", "Plus récents", "Mais recentes"),
    "Older": ("Más antiguos", "Plus anciens", "Mais antigos"),
    "New agency": ("Nueva agencia", "Nouvelle agence", "Nova agência"),
    "Edit %(acronym)s": ("Editar %(acronym)s", "Modifier %(acronym)s", "Editar %(acronym)s"),
    "Agencies": ("Agencias", "Agences", "Agências"),
    "Filter agencies": ("Filtrar agencias", "Filtrer les agences", "Filtrar agências"),
    "Filter": ("Filtrar", "Filtrer", "Filtrar"),
    "Agencies on the portal": (
        "Agencias del portal",
        "Agences du portail",
        "Agências do portal",
    ),
    "Acronym": ("Sigla", "Sigle", "Sigla"),
    "No agency matches.": (
        "Ninguna agencia coincide.",
        "Aucune agence ne correspond.",
        "Nenhuma agência corresponde.",
    ),
    "People": ("Personas", "Personnes", "Pessoas"),
    "New account": ("Nueva cuenta", "Nouveau compte", "Nova conta"),
    "Filter people": ("Filtrar personas", "Filtrer les personnes", "Filtrar pessoas"),
    "All agencies": ("Todas las agencias", "Toutes les agences", "Todas as agências"),
    "Accounts you manage": (
        "Cuentas que gestiona",
        "Comptes que vous gérez",
        "Contas que você gerencia",
    ),
    "Actions": ("Acciones", "Actions", "Ações"),
    "set up": ("configurado", "configuré", "configurado"),
    "not yet": ("todavía no", "pas encore", "ainda não"),
    'Unlock<span class="visually-hidden"> %(u)s</span>': (
        'Desbloquear<span class="visually-hidden"> %(u)s</span>',
        'Déverrouiller<span class="visually-hidden"> %(u)s</span>',
        'Desbloquear<span class="visually-hidden"> %(u)s</span>',
    ),
    "Remove %(u)s's authenticator and recovery codes and sign them out? They set up a new "
    "authenticator at their next sign-in.": (
        "¿Quitar la aplicación de autenticación y los códigos de recuperación de %(u)s y cerrar "
        "sus sesiones? Configurará una nueva al iniciar sesión la próxima vez.",
        "Retirer l'application d'authentification et les codes de secours de %(u)s et le "
        "déconnecter ? Il en configurera une nouvelle à sa prochaine connexion.",
        "Remover o autenticador e os códigos de recuperação de %(u)s e encerrar suas sessões? "
        "A pessoa configura um novo no próximo acesso.",
    ),
    'Reset second factor<span class="visually-hidden"> of %(u)s</span>': (
        'Restablecer el segundo factor<span class="visually-hidden"> de %(u)s</span>',
        'Réinitialiser le second facteur<span class="visually-hidden"> de %(u)s</span>',
        'Redefinir o segundo fator<span class="visually-hidden"> de %(u)s</span>',
    ),
    "No accounts.": ("No hay cuentas.", "Aucun compte.", "Nenhuma conta."),
    "Pages": ("Páginas", "Pages", "Páginas"),
    "Previous": ("Anterior", "Précédent", "Anterior"),
    "Next": ("Siguiente", "Suivant", "Próxima"),
    "%(u)s (%(a)s)": ("%(u)s (%(a)s)", "%(u)s (%(a)s)", "%(u)s (%(a)s)"),
    "Edit team": ("Editar equipo", "Modifier l'équipe", "Editar equipe"),
    "Purpose": ("Objetivo", "Objet", "Finalidade"),
    "Active": ("Activo", "Active", "Ativa"),
    "open": ("abierto", "ouverte", "aberta"),
    "not active today": ("inactivo hoy", "inactive aujourd'hui", "inativa hoje"),
    "Managed by": ("Gestionado por", "Gérée par", "Gerida por"),
    "platform admins": (
        "administradores de la plataforma",
        "administrateurs de la plateforme",
        "administradores da plataforma",
    ),
    "None": ("Ninguno", "Aucun", "Nenhum"),
    "New team": ("Nuevo equipo", "Nouvelle équipe", "Nova equipe"),
    "Adding members can suspend grants to this team whose owners do not trust a new member "
    "enough.": (
        "Agregar integrantes puede suspender los accesos concedidos a este equipo cuyos "
        "propietarios no confían lo suficiente en un nuevo integrante.",
        "Ajouter des membres peut suspendre les accès accordés à cette équipe dont les "
        "propriétaires ne font pas assez confiance à un nouveau membre.",
        "Adicionar integrantes pode suspender acessos concedidos a esta equipe cujos donos não "
        "confiam o suficiente em um novo integrante.",
    ),
    "Multi-agency response teams: a record shared with a team reaches its member agencies and "
    "people while the team is active.": (
        "Equipos de respuesta multiagencia: un registro compartido con un equipo llega a sus "
        "agencias y personas integrantes mientras el equipo está activo.",
        "Équipes d'intervention multi-agences : un dossier partagé avec une équipe parvient à "
        "ses agences et personnes membres tant que l'équipe est active.",
        "Equipes de resposta multiagência: um registro compartilhado com uma equipe chega às "
        "suas agências e pessoas integrantes enquanto a equipe está ativa.",
    ),
    "platform": ("plataforma", "plateforme", "plataforma"),
    "No teams yet.": ("Aún no hay equipos.", "Pas encore d'équipes.", "Ainda sem equipes."),
    "Change trust level": (
        "Cambiar el nivel de confianza",
        "Changer le niveau de confiance",
        "Alterar o nível de confiança",
    ),
    "%(a)s's trust in %(b)s": (
        "Confianza de %(a)s en %(b)s",
        "Confiance de %(a)s envers %(b)s",
        "Confiança de %(a)s em %(b)s",
    ),
    "Current level: %(level)s.": (
        "Nivel actual: %(level)s.",
        "Niveau actuel : %(level)s.",
        "Nível atual: %(level)s.",
    ),
    "Trust matrix": ("Matriz de confianza", "Matrice de confiance", "Matriz de confiança"),
    "Row A, column B: how much A trusts B — the most sensitive TLP that A may share with B. "
    "Select a cell to change it; a reason is required and kept. Lowering a level suspends A's "
    "grants to B above the new level.": (
        "Fila A, columna B: cuánto confía A en B — el TLP más sensible que A puede compartir con "
        "B. Seleccione una celda para cambiarla; se exige y se conserva un motivo. Bajar un "
        "nivel suspende los accesos de A a B por encima del nuevo nivel.",
        "Ligne A, colonne B : la confiance de A envers B — le TLP le plus sensible que A peut "
        "partager avec B. Sélectionnez une cellule pour la modifier ; un motif est exigé et "
        "conservé. Baisser un niveau suspend les accès de A à B au-dessus du nouveau niveau.",
        "Linha A, coluna B: quanto A confia em B — o TLP mais sensível que A pode compartilhar "
        "com B. Selecione uma célula para alterá-la; um motivo é exigido e guardado. Baixar um "
        "nível suspende os acessos de A a B acima do novo nível.",
    ),
    "Filter the matrix": ("Filtrar la matriz", "Filtrer la matrice", "Filtrar a matriz"),
    "Rows: country": ("Filas: país", "Lignes : pays", "Linhas: país"),
    "Rows: kind": ("Filas: tipo", "Lignes : type", "Linhas: tipo"),
    "Columns: country": ("Columnas: país", "Colonnes : pays", "Colunas: país"),
    "Columns: kind": ("Columnas: tipo", "Colonnes : type", "Colunas: tipo"),
    "Legend": ("Leyenda", "Légende", "Legenda"),
    "Trust of each row agency in each column agency": (
        "Confianza de cada agencia de fila en cada agencia de columna",
        "Confiance de chaque agence en ligne envers chaque agence en colonne",
        "Confiança de cada agência da linha em cada agência da coluna",
    ),
    "Trusting agency": (
        "Agencia que confía",
        "Agence qui accorde sa confiance",
        "Agência que confia",
    ),
    "same agency": ("misma agencia", "même agence", "mesma agência"),
    "Only platform admins open this page.": (
        "Solo los administradores de la plataforma abren esta página.",
        "Seuls les administrateurs de la plateforme ouvrent cette page.",
        "Somente administradores da plataforma abrem esta página.",
    ),
    "Only agency admins and platform admins open this page.": (
        "Solo los administradores de agencia y de la plataforma abren esta página.",
        "Seuls les administrateurs d'agence et de la plateforme ouvrent cette page.",
        "Somente administradores de agência e da plataforma abrem esta página.",
    ),
    "Agency %(acronym)s created.": (
        "Agencia %(acronym)s creada.",
        "Agence %(acronym)s créée.",
        "Agência %(acronym)s criada.",
    ),
    "Agency saved.": ("Agencia guardada.", "Agence enregistrée.", "Agência salva."),
    "%(src)s's trust in %(dst)s is now %(level)s.": (
        "La confianza de %(src)s en %(dst)s ahora es %(level)s.",
        "La confiance de %(src)s envers %(dst)s est maintenant de %(level)s.",
        "A confiança de %(src)s em %(dst)s agora é %(level)s.",
    ),
    "Account %(username)s created. They enrol a second factor at first sign-in.": (
        "Cuenta %(username)s creada. Registrará un segundo factor al iniciar sesión por "
        "primera vez.",
        "Compte %(username)s créé. La personne enregistre un second facteur à sa première "
        "connexion.",
        "Conta %(username)s criada. A pessoa registra um segundo fator no primeiro acesso.",
    ),
    "Account %(username)s saved.": (
        "Cuenta %(username)s guardada.",
        "Compte %(username)s enregistré.",
        "Conta %(username)s salva.",
    ),
    "Account %(username)s unlocked.": (
        "Cuenta %(username)s desbloqueada.",
        "Compte %(username)s déverrouillé.",
        "Conta %(username)s desbloqueada.",
    ),
    "Replace your own authenticator from your security page.": (
        "Reemplace su propia aplicación de autenticación desde su página de seguridad.",
        "Remplacez votre propre application d'authentification depuis votre page de sécurité.",
        "Substitua seu próprio autenticador na sua página de segurança.",
    ),
    "%(username)s's second factor was removed; they enrol again at next sign-in.": (
        "Se quitó el segundo factor de %(username)s; lo registrará de nuevo al iniciar sesión.",
        "Le second facteur de %(username)s a été retiré ; il l'enregistrera de nouveau à sa "
        "prochaine connexion.",
        "O segundo fator de %(username)s foi removido; a pessoa o registra de novo no próximo "
        "acesso.",
    ),
    "Platform admins and agency admins create teams.": (
        "Los administradores de la plataforma y de agencia crean equipos.",
        "Les administrateurs de la plateforme et d'agence créent des équipes.",
        "Administradores da plataforma e de agência criam equipes.",
    ),
    "Team %(name)s created.": (
        "Equipo %(name)s creado.",
        "Équipe %(name)s créée.",
        "Equipe %(name)s criada.",
    ),
    "Only its managing agency's admins and platform admins do.": (
        "Solo lo hacen los administradores de su agencia gestora y de la plataforma.",
        "Seuls les administrateurs de son agence gestionnaire et de la plateforme le font.",
        "Somente os administradores da agência gestora e da plataforma fazem isso.",
    ),
    "Team saved.": ("Equipo guardado.", "Équipe enregistrée.", "Equipe salva."),
    "Wrong username or password, or the account is locked. After %(limit)s failed attempts in "
    "%(minutes)s minutes an account is locked until an admin unlocks it.": (
        "Usuario o contraseña incorrectos, o la cuenta está bloqueada. Tras %(limit)s intentos "
        "fallidos en %(minutes)s minutos una cuenta se bloquea hasta que un administrador la "
        "desbloquea.",
        "Nom d'utilisateur ou mot de passe incorrect, ou compte verrouillé. Après %(limit)s "
        "tentatives échouées en %(minutes)s minutes, un compte est verrouillé jusqu'à ce qu'un "
        "administrateur le déverrouille.",
        "Usuário ou senha incorretos, ou a conta está bloqueada. Após %(limit)s tentativas "
        "falhas em %(minutes)s minutos, uma conta fica bloqueada até que um administrador a "
        "desbloqueie.",
    ),
}

P: dict[tuple[str, str], tuple[tuple[str, str], tuple[str, str], tuple[str, str]]] = {
    ("%(left)s recovery code left.", "%(left)s recovery codes left."): (
        ("Queda %(left)s código de recuperación.", "Quedan %(left)s códigos de recuperación."),
        ("Il reste %(left)s code de secours.", "Il reste %(left)s codes de secours."),
        ("Resta %(left)s código de recuperação.", "Restam %(left)s códigos de recuperação."),
    ),
    ("and %(n)s person of other agencies", "and %(n)s people of other agencies"): (
        ("y %(n)s persona de otras agencias", "y %(n)s personas de otras agencias"),
        ("et %(n)s personne d'autres agences", "et %(n)s personnes d'autres agences"),
        ("e %(n)s pessoa de outras agências", "e %(n)s pessoas de outras agências"),
    ),
    (
        "%(n)s grant above the new level was suspended.",
        "%(n)s grants above the new level were suspended.",
    ): (
        (
            "Se suspendió %(n)s acceso por encima del nuevo nivel.",
            "Se suspendieron %(n)s accesos por encima del nuevo nivel.",
        ),
        (
            "%(n)s accès au-dessus du nouveau niveau a été suspendu.",
            "%(n)s accès au-dessus du nouveau niveau ont été suspendus.",
        ),
        (
            "%(n)s acesso acima do novo nível foi suspenso.",
            "%(n)s acessos acima do novo nível foram suspensos.",
        ),
    ),
}
